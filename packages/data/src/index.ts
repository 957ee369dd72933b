/** @facelab/data: image, video, audio and annotation I/O, warps, and the streaming Dataset pipeline. */
export * from './browser.js';

// Node only (files, processes, native modules).
export {
  readImage,
  decodeImage,
  encodeImage,
  imageFormatOf,
  writeImage,
  DEFAULT_MAX_PIXELS,
  type DecodeLimits,
  type ReadImageOptions,
  type ImageFormat,
  type EncodeImageOptions,
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
  Dataset,
  DatasetReport,
  type SkippedSample,
  type MapOptions,
} from './dataset.js';
export {
  readWav,
  decodeWav,
  writeWav,
  encodeWav,
  type WavAudio,
  type DecodeWavOptions,
  type WavSampleFormat,
} from './wav.js';
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
