/** @facelab/core-tensor for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
export { tf } from './tf.js';
export {
  initBrowserBackend,
  BROWSER_BACKEND_ORDER,
  type BrowserBackendName,
  type BrowserBackendOptions,
} from './backend/init-browser.js';
export { silenceTfjsWarnings } from './backend/compat/tfjs-warnings.js';
// Layers: serialisable building blocks made of registered layer classes (tfjs's and a few of ours).
export { batchNorm, convBnAct, type BlockActivation, type ConvBnActOptions, type ConvPadding } from './layers/conv-bn-act.js';
export { basicBlock, bottleneckBlock, irBlock, BOTTLENECK_EXPANSION, type ResidualBlockOptions } from './layers/residual.js';
export { resnet50Features, type Resnet50FeaturesOptions, type ResnetLayout } from './layers/resnet.js';
export { vggStack, VGG16_BLOCKS, type VggStackOptions } from './layers/vgg.js';
export {
  recurrentStack,
  timeDistributedCnn,
  type RecurrentStackOptions,
  type TimeDistributedCnnOptions,
} from './layers/sequence.js';
export { FoldTimeLayer, UnfoldTimeLayer } from './layers/time-fold.js';
export { FusedBatchNorm, type FusedBatchNormArgs } from './layers/fused-batch-norm.js';
export { DilatedConv2D, type DilatedConv2DArgs } from './layers/dilated-conv2d.js';
export { ResizeToMatch, type ResizeToMatchArgs } from './layers/resize-to-match.js';
export { batchNormTraining, type BatchNormTrainingResult } from './ops/batch-norm-training.js';
export { FusedGru, fusedGru, type FusedGruArgs, type FusedGruInitializer } from './layers/fused-gru.js';
export { GruGateBias, type GruGateBiasArgs } from './layers/gru-gate-bias.js';
export { gruRecurrence } from './ops/gru-recurrence.js';
export {
  encoderDecoder,
  upsample,
  type EncoderDecoderOptions,
  type UpsampleMode,
  type UpsampleOptions,
} from './layers/encoder-decoder.js';
// Losses: differentiable tf losses returning scalars, for use inside tf.tidy / minimize.
export { mseLoss, maeLoss, smoothL1Loss, type SmoothL1Options } from './losses/regression.js';
export { crossEntropyLoss, type CrossEntropyOptions } from './losses/cross-entropy.js';
export { cccLoss } from './losses/ccc.js';
export { klDistillationLoss, type DistillationOptions } from './losses/distillation.js';
export { ganDiscriminatorLoss, ganGeneratorLoss, type GanLossKind, type GanLossOptions } from './losses/gan.js';
// Training pieces that need no files: schedules, gradient transforms, optimizer state.
export { constantLr, stepLr, cosineLr, polynomialLr, type LrSchedule } from './train/schedules.js';
export { globalNorm, clipByGlobalNorm, addWeightDecay } from './train/gradients.js';
export { setOptimizerLearningRate, captureOptimizerState, restoreOptimizerState } from './train/optimizer-state.js';
export { disposeOptimizer } from './backend/compat/momentum-dispose.js';
export { CheckpointError } from './train/checkpoint-header.js';
export { NonFiniteLossError } from './train/non-finite-loss.js';
