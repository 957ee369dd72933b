/** @facelab/augment: visual data augmentation through a learned pixel ↔ latent transformation with a linear latent model. */
export * from './browser.js';

// Node only (files, processes, native modules).
// Training, and the downstream comparison of augmentations (which trains classifiers).
export { fitAugment, type FitAugmentOptions } from './train/fit.js';
export {
  evaluateDownstream,
  type DownstreamAugmentation,
  type DownstreamOptions,
  type DownstreamResult,
  type LabelledImages,
} from './eval/downstream.js';
// Files: frame sequences and model directories.
export { readFrameSequences, writeFrameSequences, type ReadFrameSequencesOptions } from './data/frame-folders.js';
export { saveAugmentModel, loadAugmentModel, AUGMENT_MODEL_FILE } from './data/model-dir.js';
// Command line.
export { buildProgram } from './cli/program.js';
