/** @facelab/end2you for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
// Models: per-modality frame encoders, fusion, and the assembled CNN-RNN.
export {
  createEnd2YouModel,
  defaultRnn,
  modalitiesOf,
  AUDIO_NETS,
  MODALITIES,
  type AudioNet,
  type Modality,
  type RnnOptions,
  type End2YouModelOptions,
} from './model/end2you.js';
export { emo16Features, emo16FeatureCount, ChannelMaxPool, type Emo16Options } from './model/emo16.js';
export { emo18Features, emo18FeatureCount, EMO18_MIN_SAMPLES, type Emo18Options } from './model/emo18.js';
export { zhao19Features, zhao19FeatureCount, type Zhao19Options } from './model/zhao19.js';
export { visualFeatures, VISUAL_NETS, VISUAL_FEATURES, type VisualNet, type VisualOptions } from './model/visual.js';
export { physioFeatures, PHYSIO_FEATURES, type PhysioOptions } from './model/physio.js';
export { fuseModalities, FUSION_METHODS, ATTENTION_UNITS, type FusionMethod } from './model/fusion.js';
export { conv1dBlock, convStack, ZeroPadding1d, type Conv1dBlockOptions, type ConvStackBlock } from './model/conv1d.js';
// Losses: masked sequence objectives.
export {
  sequenceLoss,
  validRows,
  lengthMask,
  checkLossName,
  LOSS_NAMES,
  type LossName,
  type SequenceLossOptions,
} from './loss/masked.js';
// Evaluation: metrics (predictions files: Node).
export {
  scoreSequences,
  checkMetricName,
  METRIC_NAMES,
  METRIC_DIRECTION,
  type MetricName,
  type Scores,
  type ScoredSequence,
} from './eval/scores.js';
