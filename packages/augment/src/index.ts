/** @facelab/augment: visual data augmentation through a learned pixel ↔ latent transformation with a linear latent model. */

// Models: the transformation E/D with its latent model A (learned, or the exact PCA baseline).
export { createAugmentAutoencoder, type AugmentAutoencoder, type AugmentAutoencoderOptions } from './model/autoencoder.js';
export { fitPcaAugment, type PcaAugment, type PcaAugmentOptions } from './model/pca.js';
export { createLatentLinear, type LatentLinear, type LatentLinearOptions } from './model/latent-linear.js';
export type { AugmentModel, ImageShape } from './model/types.js';

// Losses.
export { augmentLoss, transitionError, AUGMENT_LOSS_WEIGHTS, type AugmentLossWeights } from './loss/augment-loss.js';

// Data: frame sequences and their consecutive pairs.
export { createFrameSequences, framePairs, allFrames, type FrameSequences, type FramePair } from './data/sequences.js';
