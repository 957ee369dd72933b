/** @facelab/end2you: End2You (arXiv 1802.01115) — multimodal raw-signal models, HDF5 data generation, generate → train → test. */
export * from './browser.js';

// Node only (files, processes, native modules).
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
