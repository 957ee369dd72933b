/** @facelab/densereg for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
// Model: the fully convolutional network at output stride 8.
export {
  createDenseRegNet,
  denseRegChannels,
  DEEPLAB_RGB_MEAN,
  type DenseRegNetOptions,
  type DenseRegTrunk,
  type DenseRegHead,
} from './model/densereg-net.js';
// Loss: quantized regression (encode/decode as plain functions) and the training objective.
export { encodeQuantized, decodeQuantized, encodeQuantizedMap, type QuantizedCoordinate } from './loss/quantized-regression.js';
export {
  denseRegLoss,
  quantizeTensor,
  type DenseRegTargets,
  type DenseRegLossOptions,
  type DenseRegLossParts,
} from './loss/densereg-loss.js';
// Data: samples and input normalisation (sample folders and 16-bit U-V PNGs: Node).
export { checkSample, normalizeImage, sampleBatch, type DenseRegSample } from './data/sample.js';
// Evaluation and by-products: decoding, landmarks and parts from U-V (U-V error / IoU / NME over folders: Node).
export { decodeDenseReg, predictUV, type DecodeOptions, type DecodedUV, type UVMaps } from './eval/decode.js';
export {
  landmarksFromUV,
  estimateLandmarkTemplate,
  templatePartMap,
  partSegmentation,
  IBUG68_PARTS,
  type PartMap,
} from './eval/landmarks.js';
