/** @facelab/arcface: margin losses, IR-ResNet backbones, face verification and ONNX weight import. */
export * from './browser.js';

// Node only (files, processes, native modules).
// These shadow browser.ts's tfjs-only embed / EmbedOptions with ones that also run ONNX.
export { embed, type EmbedOptions } from './eval/embed-runtime.js';
export { verifyBin, verifyLfw, type VerifyOptions } from './eval/verify.js';
export { parseVerificationBin, readVerificationBin, type VerificationBin } from './data/verification-bin.js';
export { RecordIOReader, unpackImageRecord, RECORDIO_MAGIC, type IRHeader, type ImageRecord } from './data/recordio.js';
export { trainArcFace, type TrainArcFaceOptions, type TrainArcFaceResult } from './train/train.js';
export { tensorFaceSource, folderFaceSource, recordFaceSource, MAX_CLASSES, type FaceSource, type FaceSourceOptions } from './train/sources.js';
export {
  embedPhoto,
  verifyPhotos,
  embedFolder,
  writeEmbeddings,
  largestFaceIn,
  cosineSimilarity,
  DEFAULT_VERIFY_THRESHOLD,
  PHOTO_EXTENSIONS,
  type PhotoEmbedOptions,
  type PhotoEmbedding,
  type PhotoVerification,
  type FolderEmbeddings,
} from './pipeline/photos.js';
