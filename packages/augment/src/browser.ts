/** @facelab/augment for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
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
// Synthesis: new images through the inverse transformation, a Dataset transform, and the affine baseline.
export { augment, augmentOffsets, MAX_AUGMENT_STEPS, MAX_INTERPOLATE, type AugmentOptions, type Augmented } from './synthesis/augment.js';
export { learnedAugmentation, type LearnedAugmentationOptions } from './synthesis/dataset-transform.js';
export { affineAugment, centredSimilarity, type AffineAugmentOptions } from './synthesis/affine.js';
// Evaluation: one-step prediction error (the downstream comparison trains: Node).
export { evaluateOneStep, type OneStepErrors } from './eval/one-step.js';
export { createIdentityClassifier, type IdentityClassifierOptions } from './model/classifier.js';
