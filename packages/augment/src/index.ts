/** @facelab/augment: visual data augmentation through a learned pixel ↔ latent transformation with a linear latent model. */

// Models: the transformation E/D with its latent model A (learned, or the exact PCA baseline).
export { createAugmentAutoencoder, wrapAutoencoder, type AugmentAutoencoder, type AugmentAutoencoderOptions } from './model/autoencoder.js';
export { fitPcaAugment, pcaAugment, type PcaAugment, type PcaAugmentOptions } from './model/pca.js';
export { createLatentLinear, type LatentLinear, type LatentLinearOptions } from './model/latent-linear.js';
export type { AugmentModel, ImageShape } from './model/types.js';

// Losses.
export { augmentLoss, transitionError, AUGMENT_LOSS_WEIGHTS, type AugmentLossWeights } from './loss/augment-loss.js';

// Data: frame sequences and their consecutive pairs.
export { createFrameSequences, framePairs, allFrames, type FrameSequences, type FramePair } from './data/sequences.js';
export { stackFrames, pairBatch } from './data/batch.js';

// Training.
export { fitAugment, type FitAugmentOptions } from './train/fit.js';

// Synthesis: new images through the inverse transformation, a Dataset transform, and the affine baseline.
export { augment, augmentOffsets, MAX_AUGMENT_STEPS, MAX_INTERPOLATE, type AugmentOptions, type Augmented } from './synthesis/augment.js';
export { learnedAugmentation, type LearnedAugmentationOptions } from './synthesis/dataset-transform.js';
export { affineAugment, centredSimilarity, type AffineAugmentOptions } from './synthesis/affine.js';

// Evaluation: one-step prediction error and the downstream comparison of augmentations.
export { evaluateOneStep, type OneStepErrors } from './eval/one-step.js';
export {
  evaluateDownstream,
  type DownstreamAugmentation,
  type DownstreamOptions,
  type DownstreamResult,
  type LabelledImages,
} from './eval/downstream.js';
export { createIdentityClassifier, type IdentityClassifierOptions } from './model/classifier.js';

// Files: frame sequences and model directories.
export { readFrameSequences, writeFrameSequences, type ReadFrameSequencesOptions } from './data/frame-folders.js';
export { saveAugmentModel, loadAugmentModel, AUGMENT_MODEL_FILE } from './data/model-dir.js';

// Command line.
export { buildProgram } from './cli/program.js';
