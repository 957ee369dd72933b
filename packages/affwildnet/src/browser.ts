/** @facelab/affwildnet for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
export {
  createAffWildNet,
  AFFWILD_LANDMARK_DIMS,
  type AffWildBackbone,
  type AffWildNetOptions,
} from './model/affwildnet.js';
export { createOmgNet, type OmgNetOptions, type OmgVariant } from './model/omgnet.js';
export { createFrameHead } from './model/frame-head.js';
export { SMALL_BLOCKS as AFFWILD_SMALL_BLOCKS } from './model/frame-cnn.js';
export { affWildLoss, omgLoss } from './train/losses.js';
export { predictClips, predictClipsAsync, predictFrames, predictUtterances, clipLabels, clipBatch } from './eval/predict.js';
export { normalizeRgbBytes } from './data/normalize.js';
export type { ClipSet, FaceSet } from './data/sets.js';
export {
  evaluateAffect,
  evaluateUtterances,
  utteranceMeans,
  evaluateCategories,
  type EvaluateAffectOptions,
  type UtteranceMetrics,
  type UtteranceDimensionMetrics,
  type AffectFrames,
  type AffectDimensionMetrics,
  type AffectMetrics,
  type CategoryMetrics,
} from './eval/affect.js';
export {
  kmeans,
  classCentres,
  classMedoids,
  extendedLoss,
  representationAnchorLoss,
  type LabelledCentres,
  type LabelledMedoids,
  type ExtendedAnchor,
  type ExtendedAnchorInputs,
  type ExtendedLossOptions,
} from './train/extended-loss.js';
