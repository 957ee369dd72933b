/** @facelab/densereg: DenseReg dense U-V face correspondence with quantized regression (arXiv 1803.02188), trainable. */

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

// Data: samples, input normalisation, sample folders and 16-bit U-V PNGs.
export { checkSample, normalizeImage, sampleBatch, type DenseRegSample } from './data/sample.js';
export { readDenseRegFolder, readDenseRegSample, writeDenseRegSample } from './data/folder.js';
export { encodeUVPng, decodeUVPng, readUVPng, writeUVPng } from './data/uv-png.js';

// Training: the recipe with core-tensor's trainer.
export { fitDenseReg, type FitDenseRegOptions } from './train/fit.js';

// Evaluation and by-products: decoding, landmarks and parts from U-V, U-V error / IoU / NME.
export { decodeDenseReg, predictUV, type DecodeOptions, type DecodedUV, type UVMaps } from './eval/decode.js';
export {
  landmarksFromUV,
  estimateLandmarkTemplate,
  templatePartMap,
  partSegmentation,
  IBUG68_PARTS,
  type PartMap,
} from './eval/landmarks.js';
export {
  evaluateDenseReg,
  uvErrorAndIou,
  type EvaluateDenseRegOptions,
  type DenseRegEvaluation,
  type DenseRegImageResult,
} from './eval/evaluate.js';
