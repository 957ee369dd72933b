/** The public solvers: thin wrappers that validate their arguments and call the shared ALM engine. */
import { Rng } from '@facelab/runtime';
import { type AlmProblem, solveAlm } from './alm.js';
import type { RpcaOptions, RpcaResult, RpcaSideOptions } from './types.js';
import { type MatrixInput, checkOptions, checkScale, expectShape, toDense, toFeatures, toMask } from './validate.js';

function base(M: MatrixInput, options: RpcaOptions | undefined): AlmProblem {
  checkOptions(options ?? {});
  const D = toDense(M, 'M');
  checkScale(D, 'M');
  const mask = options?.mask === undefined ? null : toMask(options.mask, D.rows, D.cols);
  return { M: D, mask, alpha: 0 };
}

function withFeatures(p: AlmProblem, X: MatrixInput, Y: MatrixInput | null, seed: number | undefined): AlmProblem {
  const rng = new Rng(seed ?? 1);
  const rows = toFeatures(X, 'X', p.M.rows, 'rows', rng);
  return Y === null ? { ...p, X: rows } : { ...p, X: rows, Y: toFeatures(Y, 'Y', p.M.cols, 'columns', rng) };
}

function withPrior(p: AlmProblem, N: MatrixInput, options: RpcaSideOptions | undefined): AlmProblem {
  const prior = toDense(N, 'N');
  checkScale(prior, 'N');
  expectShape(prior, 'N', p.M.rows, p.M.cols, 'M');
  return { ...p, N: prior, alpha: options?.alpha ?? 1 };
}

/** PCP (Candès et al. 2011): min ‖L‖* + λ‖S‖₁ s.t. M = L + S, by inexact ALM (default) or fixed-μ ADMM. */
export function pcp(M: MatrixInput, options?: RpcaOptions): RpcaResult {
  return solveAlm(base(M, options), options ?? {});
}

/**
 * PCPF (Chiang, Hsieh & Dhillon 2016): PCP with L = X·H·Yᵀ and ‖H‖* for row features X and column features Y;
 * `Y = null` is the left-subspace-only mode (Y = I implicitly, never formed).
 */
export function pcpf(M: MatrixInput, X: MatrixInput, Y: MatrixInput | null, options?: RpcaOptions): RpcaResult {
  return solveAlm(withFeatures(base(M, options), X, Y, options?.seed), options ?? {});
}

/** PCPS (Xue et al. 2018): min ‖L‖* + α‖L − N‖* + λ‖S‖₁ s.t. P_Ω(M) = P_Ω(L + S), N a noisy prior of L. */
export function pcps(M: MatrixInput, N: MatrixInput, options?: RpcaSideOptions): RpcaResult {
  return solveAlm(withPrior(base(M, options), N, options), options ?? {});
}

/**
 * PCPSF (Xue et al. 2018): PCPS with L = X·H·Yᵀ (nuclear norm on H) — both kinds of side information.
 * `Y = null` is the left-subspace-only mode: L = X·H with H d₁×n, as if Y = I, but no n×n matrix is formed
 * (the paper's UV-completion setting: a texture subspace X, frames as free columns).
 */
export function pcpsf(M: MatrixInput, N: MatrixInput, X: MatrixInput, Y: MatrixInput | null, options?: RpcaSideOptions): RpcaResult {
  return solveAlm(withPrior(withFeatures(base(M, options), X, Y, options?.seed), N, options), options ?? {});
}
