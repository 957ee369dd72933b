import type { Matrix } from 'ml-matrix';
import type { SvdMode } from '../linalg/svd.js';
import type { MatrixInput } from './validate.js';

/** Progress of one ALM iteration, passed to `onIteration`. */
export interface RpcaProgress {
  iteration: number;
  /** Relative constraint residual ‖M − L − S‖_F / ‖M‖_F (the max with ‖L − N − K‖_F / ‖M‖_F for pcps). */
  residual: number;
  /** Relative dual residual, μ‖ΔL‖·√(1 + [prior])/‖(Y₁, Y₂)‖_F for 'ialm' (the README's stopping rule). */
  dualResidual: number;
  rank: number;
  mu: number;
}

/** Options shared by every solver. */
export interface RpcaOptions {
  /** Weight of ‖S‖₁ (default 1/√max(m, n)); 'observed': 1/√(ρ·max(m, n)) with ρ the mask's observed fraction. */
  lambda?: number | 'observed';
  /** 1 = observed, 0 = missing (same shape as M): the constraint holds on observed entries only. */
  mask?: MatrixInput;
  /** 'ialm' (default): inexact ALM with μ continuation; 'admm': Candès et al.'s fixed μ = mn/(4‖M‖₁). */
  method?: 'ialm' | 'admm';
  /** Stop when the relative primal residual is below this (default 1e-7) and the dual one below `tolDual`. */
  tol?: number;
  /** ...and the relative dual residual below this (default 1e-4; `Infinity`: primal residual alone, as Lin et al.). */
  tolDual?: number;
  /** At most this many iterations (default 1000). */
  maxIter?: number;
  /** Initial μ (default 1.25/‖M‖₂ for 'ialm'). */
  mu0?: number;
  /** μ growth factor per iteration until the constraints hold, then residual balancing's step (default 1.5; 'admm' keeps μ fixed). */
  rho?: number;
  /** μ stops growing at muMaxFactor·μ₀ (default 1e7). */
  muMaxFactor?: number;
  /** SVD used for thresholding (default 'auto': partial with rank prediction, full near min(m, n)). */
  svd?: SvdMode;
  /** Seed of the randomized SVD (default 1). */
  seed?: number;
  /** Called after every iteration (e.g. for a progress line). */
  onIteration?: (p: RpcaProgress) => void;
}

/** Options of pcps / pcpsf. */
export interface RpcaSideOptions extends RpcaOptions {
  /** Weight of ‖L − N‖* (default 1: see the README for how it trades trust in N against the data). */
  alpha?: number;
}

/** What every solver returns. */
export interface RpcaResult {
  /** The low-rank part (the completion, where a mask hides entries). */
  L: Matrix;
  /** The sparse part (0 on unobserved entries). */
  S: Matrix;
  iterations: number;
  converged: boolean;
  /** Rank of L (singular values above the final threshold). */
  rank: number;
  /** ‖L‖* + α‖K‖* + λ‖P_Ω S‖₁ at the returned iterates (K is the split copy of L − N; α = 0 without a prior). */
  objective: number;
  /** Relative primal residual per iteration. */
  history: number[];
  /** Relative dual residual per iteration. */
  dualHistory: number[];
  /** For pcpf / pcpsf: the core H with L = X·H·Yᵀ in the orthonormalised feature bases (d₁×n, L = X·H, when Y is null). */
  H?: Matrix;
}
