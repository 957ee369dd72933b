/** @facelab/data: image, video, audio and annotation I/O, warps, and the streaming Dataset pipeline. */
export {
  readImage,
  decodeImage,
  rawToTensor,
  tensorToRaw,
  encodeImage,
  imageFormatOf,
  writeImage,
  resizeImage,
  cropToBox,
  imageGrid,
  DEFAULT_MAX_PIXELS,
  type DecodeLimits,
  type RawImage,
  type ImageDtype,
  type ReadImageOptions,
  type ImageFormat,
  type EncodeImageOptions,
  type ImageSize,
  type PixelBox,
  type ImageGridOptions,
} from './image.js';
export { readPts, parsePts, writePts, formatPts, type Point2 } from './pts.js';
export {
  readPairs,
  parsePairs,
  writePairs,
  formatPairs,
  lfwImagePath,
  type LfwImageRef,
  type LfwPair,
  type LfwPairs,
  type LfwPairSpec,
} from './pairs.js';
export {
  listClassFolders,
  type ClassFolderItem,
  type ClassFolders,
  type ListClassFoldersOptions,
} from './folders.js';
export {
  warpAffine,
  estimateSimilarity,
  invertAffine,
  transformPoints,
  type Affine2x3,
  type WarpAffineOptions,
} from './warp.js';
export {
  Dataset,
  DatasetReport,
  type SkippedSample,
  type MapOptions,
} from './dataset.js';
export { windowArray, Windower, type WindowOptions, type SampleWindow } from './window.js';
export { toTensors, type TensorFieldValue, type ToTensorsOptions } from './tensors.js';
export {
  readWav,
  decodeWav,
  writeWav,
  encodeWav,
  type WavAudio,
  type DecodeWavOptions,
  type WavSampleFormat,
} from './wav.js';
export { resample, frameSignal, samplesPerStep } from './resample.js';
export {
  readVideoFrames,
  videoInfo,
  writeVideo,
  ffmpegPath,
  MAX_VIDEO_FPS,
  type FfmpegOptions,
  type VideoFrame,
  type VideoInfo,
  type ReadVideoOptions,
  type WriteVideoOptions,
} from './video.js';
