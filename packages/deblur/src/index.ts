/** @facelab/deblur: motion deblurring of faces (arXiv 1803.03330) — frame-averaged blur, a two-stream network, evaluation. */

// Data: blur by averaging n consecutive frames (the middle one is the target), from any frames or a video.
export {
  averageFrames,
  blurPairAt,
  blurPairs,
  checkBlurLength,
  checkBlurRange,
  checkFrames,
  combBlur,
  drawBlurLength,
  frameToFloat,
  parseBlurRange,
  DEFAULT_BLUR_RANGE,
  type BlurPair,
  type BlurPairsOptions,
  type BlurRange,
  type Frame,
} from './data/blur.js';
export { readClipFrames, videoBlurPairs, type ReadClipOptions } from './data/video.js';
export { writeBlurPairs, readBlurPairs, collectPairs, listImages, readImageFloat, type PairSet } from './data/pair-folders.js';
export { saveDeblurNet, loadDeblurNet, DEBLUR_MODEL_FILE } from './data/model-dir.js';

// Models: the deblurring stream (single or two-step) and the identity stream.
export {
  createDeblurNet,
  deblurArchitecture,
  runDeblur,
  predictDeblur,
  type DeblurArchitecture,
  type DeblurNet,
  type DeblurNetOptions,
  type DeblurOutput,
  type DeblurVariant,
} from './model/deblur-net.js';
export { createIdentityNet, identityEmbedding, type IdentityNetOptions } from './model/identity-net.js';

// Losses: reconstruction (L1, SSIM), identity (cosine or L2 of normalised embeddings), the two-step low stage.
export {
  deblurLoss,
  identityLoss,
  ssimLossTerm,
  TWO_STREAM_WEIGHTS,
  type DeblurLossInputs,
  type DeblurLossWeights,
} from './loss/deblur-loss.js';

// Training: the deblurring stream (deblur-only or two-stream) and the identity stream.
export { fitDeblur, fitIdentityNet, pairBatch, DEBLUR_RUN_FILE, type FitDeblurOptions, type FitIdentityOptions, type JointIdentityOptions } from './train/fit.js';

// Evaluation: PSNR, SSIM, identity cosine, verification and landmark error for the blurred input and each network.
export {
  evaluateDeblur,
  deblurImages,
  embedImages,
  type DeblurEvaluation,
  type DeblurScores,
  type EvaluateDeblurOptions,
} from './eval/evaluate.js';
export {
  landmarkError,
  meanLandmarkError,
  denseRegLocator,
  denseRegSample,
  type LandmarkLocator,
  type LandmarkMeasure,
  type DenseRegLocatorOptions,
  type DenseRegSampleExtras,
} from './eval/landmarks.js';

// Command line.
export { buildProgram } from './cli/program.js';
