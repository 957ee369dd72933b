/** @facelab/affwildnet: AffWildNet, OMG-Emotion networks and extended-loss transfer on TensorFlow.js. */
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
export { fitAffect, predictClips, predictFrames, clipLabels, clipBatch, type FitAffectOptions } from './train/fit.js';
export {
  fitAffWildNet,
  type AffWildNetStageOptions,
  type FitAffWildNetOptions,
  type FitAffWildNetResult,
} from './train/affwildnet.js';
export {
  readAffWildCsv,
  loadSequences,
  splitSequence,
  writeAffWildCsv,
  type AffWildSequence,
  type AffWildVideo,
  type ReadAffWildCsvOptions,
} from './data/released.js';
export { readAffWildFolder } from './data/affwild-folder.js';
export { readOmgCsv, type OmgUtterance } from './data/omg.js';
export {
  listAfewClips,
  writeAfewClips,
  AFEW_CLASSES,
  type AfewClass,
  type AfewClip,
  type AfewClipFrames,
  type WriteAfewClipsOptions,
} from './data/afew.js';
export { normalizeRgbBytes, readFaceFrame } from './data/frames.js';
export type { ClipSet, FaceSet } from './data/sets.js';
export {
  evaluateAffect,
  evaluateCategories,
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
export {
  createEmotionClassifier,
  fitEmotions,
  classifyFaces,
  emotionCentres,
  emotionMedoids,
  type EmotionClassifier,
  type FitEmotionsOptions,
} from './train/transfer.js';
