/** @facelab/deblur for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
// Data: blur by averaging n consecutive frames (the middle one is the target), from any frames (videos: Node).
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
