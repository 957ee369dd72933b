/** @facelab/arcface: margin losses, IR-ResNet backbones, face verification and ONNX weight import. */
export { marginLogits, marginSoftmaxLoss, MARGIN_PRESETS, type MarginOptions, type LabelsLike } from './loss/margin.js';
export { ArcMarginHead, l2Normalize, type ArcMarginHeadArgs } from './model/head.js';
export {
  iresnet,
  iresnetLayout,
  iresnetUnitName,
  countParams,
  fixEmbeddingGamma,
  IRESNET_UNITS,
  IRESNET_SMALL,
  IRESNET_BN,
  type IresnetDepth,
  type IresnetOptions,
  type IresnetLayout,
} from './model/iresnet.js';
export { loadOnnxWeights, type OnnxLoadReport } from './onnx/load-weights.js';
export { embed, type EmbedOptions } from './eval/embed.js';
export {
  verifyEmbeddings,
  verifyBin,
  verifyLfw,
  type VerificationProtocol,
  type VerificationProtocolOptions,
  type VerificationResult,
  type VerifyOptions,
} from './eval/verify.js';
export { parseVerificationBin, readVerificationBin, type VerificationBin } from './data/verification-bin.js';
export { RecordIOReader, unpackImageRecord, RECORDIO_MAGIC, type IRHeader, type ImageRecord } from './data/recordio.js';
export { alignFace, arcfaceTemplate, ARCFACE_TEMPLATE_112, type AlignedFace, type AlignFaceOptions, type TemplateScaling } from './data/align.js';
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
