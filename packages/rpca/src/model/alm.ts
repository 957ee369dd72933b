/**
 * One ALM/ADMM engine for the whole family (derivation in the README):
 *   min ‖L‖* + α‖L − N‖* + λ‖P_Ω(S)‖₁  s.t.  P_Ω(M) = L + S,  K = L − N   (L = X·H·Yᵀ with features)
 * S is unpenalised off Ω, which makes the constraint bind on observed entries only. Blocks: {L} and {S, K};
 * α = 0 drops K (PCP / PCPF), identity features drop X, Y.
 */
import { Rng } from '@facelab/runtime';
import { type Dense, clone, frobenius, maxAbs, sumAbs, transposeInto, zeros } from '../linalg/dense.js';
import { gemmNT } from '../linalg/gemm.js';
import { SvtEngine, spectralNorm } from '../linalg/svd.js';
import type { RpcaResult, RpcaSideOptions } from './types.js';
import { type Features, toMatrix } from './validate.js';

/** A validated problem. */
export interface AlmProblem {
  M: Dense;
  mask: Uint8Array | null;
  X?: Features;
  Y?: Features;
  N?: Dense;
  alpha: number;
}

/** Runs the ALM on a validated problem. */
export function solveAlm(p: AlmProblem, o: RpcaSideOptions): RpcaResult {
  const { M, mask, X, Y, N, alpha } = p;
  const { rows: m, cols: n } = M;
  const size = m * n;
  const lambda = o.lambda ?? 1 / Math.sqrt(Math.max(m, n));
  const method = o.method ?? 'ialm';
  const tol = o.tol ?? 1e-7;
  const maxIter = o.maxIter ?? 1000;
  if (!(lambda > 0)) throw new Error(`lambda must be a positive number (got ${lambda})`);
  if (!(alpha >= 0)) throw new Error(`alpha must be a non-negative number (got ${alpha})`);
  if (!(tol > 0)) throw new Error(`tol must be a positive number (got ${tol})`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new Error(`maxIter must be a positive integer (got ${maxIter})`);
  const rng = new Rng(o.seed ?? 1);

  // Observed data, zero-filled where missing.
  const D = zeros(m, n);
  for (let t = 0; t < size; t++) D.data[t] = mask && !mask[t] ? 0 : M.data[t]!;
  const dNorm = frobenius(D.data);
  const L = zeros(m, n);
  const S = zeros(m, n);
  const Y1 = zeros(m, n);
  const T = zeros(m, n);
  const withK = alpha > 0 && N !== undefined;
  const K = withK ? zeros(m, n) : null;
  const Y2 = withK ? zeros(m, n) : null;
  const history: number[] = [];
  if (dNorm === 0) return finish(L, S, mask, 0, true, 0, history);

  let mu: number;
  let muMax: number;
  const rho = method === 'admm' ? 1 : (o.rho ?? 1.5);
  if (method === 'admm') {
    mu = o.mu0 ?? size / (4 * sumAbs(D.data));
    muMax = mu;
  } else {
    const norm2 = spectralNorm(D, rng);
    const dual = Math.max(norm2, maxAbs(D.data) / lambda);
    for (let t = 0; t < size; t++) Y1.data[t] = D.data[t]! / dual;
    mu = o.mu0 ?? 1.25 / norm2;
    muMax = mu * (o.muMaxFactor ?? 1e7);
  }
  if (!(mu > 0) || !(rho >= 1)) throw new Error(`mu0 must be positive and rho ≥ 1 (got ${mu}, ${rho})`);

  const lowRank = X && Y ? featureStep(X, Y, rng, o) : plainStep(m, n, rng, o);
  const kSvt = withK ? new SvtEngine(m, n, rng, { mode: o.svd }) : null;
  let rank = 0;

  const sparseStep = (): void => {
    const thr = lambda / mu;
    const d = D.data, l = L.data, y = Y1.data, s = S.data;
    for (let t = 0; t < size; t++) {
      const v = d[t]! - l[t]! + y[t]! / mu;
      s[t] = mask && !mask[t] ? v : v > thr ? v - thr : v < -thr ? v + thr : 0;
    }
    if (kSvt && K && Y2 && N) {
      for (let t = 0; t < size; t++) T.data[t] = l[t]! - N.data[t]! + Y2.data[t]! / mu;
      kSvt.threshold(T, alpha / mu, K);
    }
  };
  const lowRankStep = (): void => {
    const d = D.data, s = S.data, y = Y1.data, tt = T.data;
    if (K && Y2 && N) {
      // Both quadratic terms pull L: towards M − S + Y₁/μ and towards N + K − Y₂/μ; their mean, threshold 1/(2μ).
      for (let t = 0; t < size; t++) tt[t] = 0.5 * (d[t]! - s[t]! + y[t]! / mu + N.data[t]! + K.data[t]! - Y2.data[t]! / mu);
      rank = lowRank(T, 1 / (2 * mu), L);
    } else {
      for (let t = 0; t < size; t++) tt[t] = d[t]! - s[t]! + y[t]! / mu;
      rank = lowRank(T, 1 / mu, L);
    }
  };

  let converged = false;
  let it = 0;
  while (it < maxIter) {
    it++;
    if (method === 'admm') {
      lowRankStep();
      sparseStep();
    } else {
      sparseStep();
      lowRankStep();
    }
    let z1 = 0;
    for (let t = 0; t < size; t++) {
      const z = D.data[t]! - L.data[t]! - S.data[t]!;
      Y1.data[t]! += mu * z;
      z1 += z * z;
    }
    let z2 = 0;
    if (K && Y2 && N) {
      for (let t = 0; t < size; t++) {
        const z = L.data[t]! - N.data[t]! - K.data[t]!;
        Y2.data[t]! += mu * z;
        z2 += z * z;
      }
    }
    const residual = Math.sqrt(Math.max(z1, z2)) / dNorm;
    history.push(residual);
    o.onIteration?.({ iteration: it, residual, rank, mu });
    mu = Math.min(mu * rho, muMax);
    if (residual < tol) {
      converged = true;
      break;
    }
  }
  const out = finish(L, S, mask, rank, converged, it, history);
  if (X && Y && lowRank.core) out.H = toMatrix(lowRank.core());
  return out;
}

function finish(L: Dense, S: Dense, mask: Uint8Array | null, rank: number, converged: boolean, iterations: number, history: number[]): RpcaResult {
  if (mask) for (let t = 0; t < S.data.length; t++) if (!mask[t]) S.data[t] = 0;
  return { L: toMatrix(L), S: toMatrix(S), iterations, converged, rank, history };
}

type LowRankStep = ((T: Dense, tau: number, out: Dense) => number) & { core?: () => Dense };

function plainStep(m: number, n: number, rng: Rng, o: RpcaSideOptions): LowRankStep {
  const svt = new SvtEngine(m, n, rng, { mode: o.svd });
  return (T, tau, out) => svt.threshold(T, tau, out);
}

/**
 * With orthonormal features, ‖X·H·Yᵀ − T‖_F² = ‖H − Xᵀ·T·Y‖_F² + const, so the L-step is an SVT of the small
 * d₁×d₂ matrix Xᵀ·T·Y.
 */
function featureStep(X: Features, Y: Features, rng: Rng, o: RpcaSideOptions): LowRankStep {
  const d1 = X.rows.rows;
  const d2 = Y.rows.rows;
  const m = X.cols.rows;
  const svt = new SvtEngine(d1, d2, rng, { mode: o.svd });
  const TY = zeros(m, d2);
  const TYt = zeros(d2, m);
  const core = zeros(d1, d2);
  const H = zeros(d1, d2);
  const Ht = zeros(d2, d1);
  const XH = zeros(m, d2);
  const step: LowRankStep = (T, tau, out) => {
    gemmNT(T, Y.rows, TY);
    gemmNT(X.rows, transposeInto(TY, TYt), core);
    const rank = svt.threshold(core, tau, H);
    gemmNT(X.cols, transposeInto(H, Ht), XH);
    gemmNT(XH, Y.cols, out);
    return rank;
  };
  step.core = () => clone(H);
  return step;
}
