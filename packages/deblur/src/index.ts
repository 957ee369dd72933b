/** @facelab/deblur: motion deblurring of faces (arXiv 1803.03330) — frame-averaged blur, a two-stream network, evaluation. */
export * from './browser.js';

// Node only (files, processes, native modules).
// Data from videos and folders, model directories.
export { readClipFrames, videoBlurPairs, type ReadClipOptions } from './data/video.js';
export { writeBlurPairs, readBlurPairs, collectPairs, listImages, readImageFloat, type PairSet } from './data/pair-folders.js';
export { saveDeblurNet, loadDeblurNet, DEBLUR_MODEL_FILE } from './data/model-dir.js';
// Training: the deblurring stream (deblur-only or two-stream) and the identity stream.
export { fitDeblur, fitIdentityNet, pairBatch, DEBLUR_RUN_FILE, type FitDeblurOptions, type FitIdentityOptions, type JointIdentityOptions } from './train/fit.js';
// Command line.
export { buildProgram } from './cli/program.js';
