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
export {
  loadAffWildTf1Checkpoint,
  assignAffWildTf1Weights,
  gruFromTf1,
  type AffWildTf1Report,
} from './model/tf1-checkpoint.js';
export { affWildLoss, omgLoss } from './train/losses.js';
export {
  fitAffect,
  predictClips,
  predictFrames,
  predictUtterances,
  clipLabels,
  clipBatch,
  AFFECT_LEARNING_RATE,
  type AffectObjective,
  type FitAffectOptions,
} from './train/fit.js';
export {
  fitAffWildNet,
  type AffWildNetStageOptions,
  type FitAffWildNetOptions,
  type FitAffWildNetResult,
} from './train/affwildnet.js';
export {
  readAffWildCsv,
  readUtteranceCsv,
  sequenceVideos,
  sequenceUtterances,
  loadSequences,
  splitSequence,
  writeAffWildCsv,
  type AffWildSequence,
  type AffWildVideo,
  type ReadAffWildCsvOptions,
} from './data/released.js';
export { readAffWildFolder } from './data/affwild-folder.js';
export { readOmgCsv, OMG_COLUMNS, type OmgUtterance } from './data/omg.js';
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
export {
  createEmotionClassifier,
  fitEmotions,
  classifyFaces,
  emotionCentres,
  emotionMedoids,
  type EmotionClassifier,
  type FitEmotionsOptions,
} from './train/transfer.js';
export {
  predictVideoAffect,
  writeVideoAffectCsv,
  plotVideoAffect,
  type VideoAffect,
  type VideoAffectOptions,
  type FrameAffect,
} from './pipeline/video.js';
