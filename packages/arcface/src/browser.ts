/** @facelab/arcface for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
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
export { embed, embedAsync, type EmbedOptions } from './eval/embed.js';
export {
  verifyEmbeddings,
  type VerificationProtocol,
  type VerificationProtocolOptions,
  type VerificationResult,
} from './eval/verify-embeddings.js';
export { alignFace, arcfaceTemplate, ARCFACE_TEMPLATE_112, type AlignedFace, type AlignFaceOptions, type TemplateScaling } from './data/align.js';
