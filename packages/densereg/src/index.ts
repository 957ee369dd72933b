/** @facelab/densereg: DenseReg dense U-V face correspondence with quantized regression (arXiv 1803.02188), trainable. */
export * from './browser.js';

// Node only (files, processes, native modules).
export { readDenseRegFolder, readDenseRegSample, writeDenseRegSample } from './data/folder.js';
export { encodeUVPng, decodeUVPng, readUVPng, writeUVPng } from './data/uv-png.js';
// Training: the recipe with core-tensor's trainer.
export { fitDenseReg, type FitDenseRegOptions } from './train/fit.js';
export {
  evaluateDenseReg,
  uvErrorAndIou,
  type EvaluateDenseRegOptions,
  type DenseRegEvaluation,
  type DenseRegImageResult,
} from './eval/evaluate.js';
