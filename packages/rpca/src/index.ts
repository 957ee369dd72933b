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
