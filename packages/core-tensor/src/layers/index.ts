// Public API of src/layers: serialisable building blocks made of registered layer classes (tfjs's and a few of ours).
export { batchNorm, convBnAct, type BlockActivation, type ConvBnActOptions, type ConvPadding } from './conv-bn-act.js';
export { basicBlock, bottleneckBlock, irBlock, BOTTLENECK_EXPANSION, type ResidualBlockOptions } from './residual.js';
export { resnet50Features, type Resnet50FeaturesOptions } from './resnet.js';
export { vggStack, VGG16_BLOCKS, type VggStackOptions } from './vgg.js';
export {
  recurrentStack,
  timeDistributedCnn,
  type RecurrentStackOptions,
  type TimeDistributedCnnOptions,
} from './sequence.js';
export { FoldTimeLayer, UnfoldTimeLayer } from './time-fold.js';
export { FusedBatchNorm, type FusedBatchNormArgs } from './fused-batch-norm.js';
export { batchNormTraining, type BatchNormTrainingResult } from '../backend/bn-kernels/index.js';
export { FusedGru, fusedGru, type FusedGruArgs, type FusedGruInitializer } from './fused-gru.js';
export { gruRecurrence } from '../backend/gru-kernels/index.js';
export {
  encoderDecoder,
  upsample,
  type EncoderDecoderOptions,
  type UpsampleMode,
  type UpsampleOptions,
} from './encoder-decoder.js';
