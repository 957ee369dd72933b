/** @facelab/rocgan for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
export {
  ROCGAN_64,
  resolveArchitecture,
  discriminatorFeatureSize,
  type RocGanArchitecture,
  type ResolvedArchitecture,
} from './model/options.js';
export { createEncoder } from './model/encoder.js';
export { createDecoder } from './model/decoder.js';
export { createDiscriminator } from './model/discriminator.js';
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
export { corruptImage, resolveCorruption, toModelRange, toPixels, type RocGanTask, type CorruptionOptions } from './data/corruptions.js';
export { predictRocGan, type PredictOptions } from './eval/predict.js';
