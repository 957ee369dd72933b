/** @facelab/rocgan: RoCGAN (Chrysos, Kossaifi, Zafeiriou, ICLR 2019) and its cGAN baseline on TensorFlow.js. */
export * from './browser.js';

// Node only (files, processes, native modules).
export { readIm2im, writeIm2im, splitIm2im, stackIm2im, type ImagePair } from './data/im2im.js';
export {
  imageFolderSource,
  memorySource,
  loadBatch,
  type ImageSource,
  type SourceItem,
  type ImageFolderOptions,
  type PairBatch,
  type LoadBatchOptions,
} from './data/source.js';
export { fitRocGan, updateEma, MODEL_CONFIG_FILE, type FitRocGanOptions, type FitRocGanResult } from './train/fit.js';
export { loadRocGan } from './train/load.js';
export {
  evaluateRocGan,
  imageScores,
  imageMae,
  summarizeScores,
  type ImageScores,
  type ScoreSummary,
  type EvaluateOptions,
  type EvaluateResult,
} from './eval/evaluate.js';
