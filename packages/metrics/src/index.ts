/** @facelab/metrics: host-side metrics in float64 (regression, classification, image, landmarks, verification), leaving no tensors. */
export type { MetricInput, NestedNumbers, TensorLike } from './input.js';
export { ccc, cccPerSequenceMean, pearson, mse, rmse, mae, sagr, type CccOptions } from './regression.js';
export { accuracy, confusionMatrix, macroF1, uar, type ClassMetricOptions } from './classification.js';
export { psnr, ssim, type ImageMetricOptions } from './image.js';
export { nme, IBUG68_OUTER_EYE_CORNERS } from './landmarks.js';
export {
  insightfaceAccuracy,
  insightfaceTarAtFar,
  rocAuc,
  tarAtFar,
  verificationAccuracy,
  type InsightfaceProtocolOptions,
  type InsightfaceTarAtFar,
  type PairLabels,
  type TarAtFar,
  type VerificationAccuracy,
  type VerificationAccuracyOptions,
  type VerificationOptions,
} from './verification.js';
