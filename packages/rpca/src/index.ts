/** @facelab/rpca: Robust PCA with side information and missing values (Xue et al. 2018) on fast partial SVDs. */
export { pcp, pcpf, pcps, pcpsf } from './model/solvers.js';
export type { RpcaOptions, RpcaSideOptions, RpcaResult, RpcaProgress } from './model/types.js';
export type { MatrixInput } from './model/validate.js';
export type { SvdMode } from './linalg/svd.js';
export { matmul } from './linalg/matmul.js';
export { randomizedSvd, type RandomizedSvdResult } from './linalg/partial.js';
export { candesProblem, type CandesProblem } from './data/candes.js';
export { relativeError, supportAgreement } from './eval/recovery.js';
export {
  evaluateFaceCompletion,
  type CompletionFace,
  type FaceCompletionData,
  type FaceCompletionOptions,
  type FaceCompletionResult,
  type FaceCompletionScore,
} from './eval/face-completion.js';

// UV texture completion (the paper's §5 application): sampling, clip matrices, completion, re-rendering, scores.
export { sampleUv, type UvFrame, type UvTexture, type SampleUvOptions } from './uv/sample.js';
export { renderUv, type RenderUvOptions } from './uv/render.js';
export { uvSupport, uvMatrix, columnTexture, uvSubspace, type UvSupport } from './uv/matrix.js';
export { completeUv, UV_METHODS, type UvMethod, type CompleteUvOptions, type CompleteUvResult } from './uv/complete.js';
export { scoreUvCompletion, type UvScore } from './eval/uv-completion.js';
export { readUvFolder, writeUvTexture, type UvFolder } from './uv/io.js';
