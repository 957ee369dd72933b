export * from './browser.js';

// Node only (files, processes, native modules).
export {
  writeLfwDataset,
  write300WDataset,
  writeClipVideos,
  writeDeblurDataset,
  synthIdentityName,
  type SynthDatasetOptions,
  type LfwOptions,
  type W300Options,
  type ClipVideosOptions,
  type DeblurOptions,
  type SynthVideoFormat,
} from './datasets.js';
