/** @facelab/rocgan: RoCGAN (Chrysos, Kossaifi, Zafeiriou, ICLR 2019) and its cGAN baseline on TensorFlow.js. */

// Model: two encoders sharing one decoder, the discriminator, the EMA copy.
/** Architecture options, the reference's 64×64 layout, and their validation. */
export {
  ROCGAN_64,
  resolveArchitecture,
  discriminatorFeatureSize,
  type RocGanArchitecture,
  type ResolvedArchitecture,
} from './model/options.js';
/** The encoder (regression and autoencoder pathways). */
export { createEncoder } from './model/encoder.js';
/** The shared decoder. */
export { createDecoder } from './model/decoder.js';
/** The discriminator: logit and feature outputs. */
export { createDiscriminator } from './model/discriminator.js';
/** A whole RoCGAN / cGAN, its disposal, parameter counts and one pathway's forward pass. */
export {
  createRocGan,
  disposeRocGan,
  countParameters,
  runPathway,
  type RocGan,
  type RocGanVariant,
  type CreateRocGanOptions,
  type PathwayOutput,
} from './model/rocgan.js';

// Losses: the paper's objectives on plain tensors.
/** Generator and discriminator losses, DeCov, their weights and defaults. */
export {
  rocganGeneratorLoss,
  rocganDiscriminatorLoss,
  decovLoss,
  resolveLossWeights,
  ROCGAN_LOSS_DEFAULTS,
  type RocGanLossWeights,
  type ProjectionSide,
  type GeneratorLossTerms,
  type DiscriminatorLossTerms,
  type LossBreakdown,
} from './loss/rocgan.js';

// Data: the tasks' corruptions, im2im files, image sources and batches.
/** Sparse inpainting, denoising and super-resolution corruptions; pixel ↔ model range. */
export { corruptImage, resolveCorruption, toModelRange, toPixels, type RocGanTask, type CorruptionOptions } from './data/corruptions.js';
/** The reference's im2im files: input stacked above target. */
export { readIm2im, writeIm2im, splitIm2im, stackIm2im, type ImagePair } from './data/im2im.js';
/** Image folders, in-memory images, and batch loading. */
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

// Training.
/** The full training recipe for RoCGAN and the cGAN baseline, and the EMA update. */
export { fitRocGan, updateEma, MODEL_CONFIG_FILE, type FitRocGanOptions, type FitRocGanResult } from './train/fit.js';
/** A trained model back from its checkpoint folder. */
export { loadRocGan } from './train/load.js';

// Evaluation.
/** Inference with the regression pathway. */
export { predictRocGan, type PredictOptions } from './eval/predict.js';
export { rocganGenerator, exportRocGanOnnx, type RocGanGeneratorOptions } from './model/onnx.js';
/** SSIM / true MAE / PSNR per image, over a source, with CSV and mean ± std. */
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
