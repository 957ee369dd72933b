/** @facelab/data for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
export {
  rawToTensor,
  tensorToRaw,
  resizeImage,
  cropToBox,
  imageGrid,
  type RawImage,
  type ImageDtype,
  type ImageSize,
  type PixelBox,
  type ImageGridOptions,
} from './raster.js';
export {
  warpAffine,
  estimateSimilarity,
  invertAffine,
  transformPoints,
  type Affine2x3,
  type WarpAffineOptions,
} from './warp.js';
export { windowArray, Windower, type WindowOptions, type SampleWindow } from './window.js';
export { toTensors, type TensorFieldValue, type ToTensorsOptions } from './tensors.js';
export { resample, frameSignal, samplesPerStep } from './resample.js';
