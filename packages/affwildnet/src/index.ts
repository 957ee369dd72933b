/** @facelab/affwildnet: AffWildNet, OMG-Emotion networks and extended-loss transfer on TensorFlow.js. */
export * from './browser.js';

// Node only (files, processes, native modules).
export {
  loadAffWildTf1Checkpoint,
  assignAffWildTf1Weights,
  gruFromTf1,
  type AffWildTf1Report,
} from './model/tf1-checkpoint.js';
export { fitAffect, AFFECT_LEARNING_RATE, type AffectObjective, type FitAffectOptions } from './train/fit.js';
// These shadow browser.ts's tfjs-only predictClips / predictUtterances with versions that also run ONNX.
export { predictClips, predictUtterances, type PredictClipsOptions } from './eval/predict-runtime.js';
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
export { readFaceFrame } from './data/frames.js';
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
