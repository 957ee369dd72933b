/** @facelab/end2you: End2You (arXiv 1802.01115) — multimodal raw-signal models, HDF5 data generation, generate → train → test. */

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
export { exportEnd2YouOnnx, END2YOU_ONNX_CONVERTERS } from './model/onnx.js';
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

// Data: End2You's HDF5 files, label files, input lists, physiological CSVs and the `generate` step.
export { readEnd2YouHdf5, writeEnd2YouHdf5, recordModalities, type End2YouRecord, type Float32Block } from './data/hdf5.js';
export {
  readLabelFile,
  parseLabelFile,
  writeLabelFile,
  readInputList,
  parseInputList,
  samplesPerStep,
  type LabelFile,
  type InputRow,
} from './data/labels.js';
export { readSignalCsv, parseSignalCsv, writeSignalCsv, type SignalFile } from './data/signals.js';
export { readSoundtrack } from './data/soundtrack.js';
export { generate, generateRecord, hdf5NameOf, clampBox, type GenerateOptions } from './data/generate.js';

// Training: batches of padded windows, best-checkpoint selection, the recipe.
export {
  readRecordDir,
  checkCompatible,
  windowsOf,
  batchWindows,
  makeBatch,
  type SequenceWindow,
  type SequenceBatch,
} from './train/batches.js';
export { BestCheckpoint, type BestScore } from './train/best.js';
export { fitEnd2You, BEST_MODEL_DIR, type FitEnd2YouOptions, type FitEnd2YouResult } from './train/fit.js';

// Evaluation: metrics, predictions files.
export {
  scoreSequences,
  checkMetricName,
  METRIC_NAMES,
  METRIC_DIRECTION,
  type MetricName,
  type Scores,
  type ScoredSequence,
} from './eval/scores.js';
export {
  predictRecords,
  scoreRecords,
  labelRows,
  writePredictions,
  readPredictions,
  evaluatePredictions,
  type PredictOptions,
  type PredictionsFile,
} from './eval/predict.js';

// CLI.
export { buildProgram, TRAIN_CONFIG_FILE, type TrainConfig } from './cli/program.js';
