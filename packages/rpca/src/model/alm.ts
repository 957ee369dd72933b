/**
 * One ALM/ADMM engine for the whole family (derivation in the README):
 *   min ‖L‖* + α‖L − N‖* + λ‖P_Ω(S)‖₁  s.t.  P_Ω(M) = L + S,  K = L − N   (L = X·H·Yᵀ with features)
 * S is unpenalised off Ω, which makes the constraint bind on observed entries only. Blocks: {L} and {S, K};
 * α = 0 drops K (PCP / PCPF), identity features drop X, Y; X without Y is the left-subspace-only mode (Y = I).
 */
import { Rng } from '@facelab/runtime';
import { type Dense, clone, frobenius, maxAbs, sumAbs, transposeInto, zeros } from '../linalg/dense.js';
import { gemmNT } from '../linalg/gemm.js';
import { SvtEngine, spectralNorm } from '../linalg/svd.js';
import type { RpcaResult, RpcaSideOptions } from './types.js';
import { type Features, toMatrix } from './validate.js';

/** Residual balancing: μ moves only when one residual exceeds this multiple of the other. */
const BALANCE = 10;

/** A validated problem. */
export interface AlmProblem {
  M: Dense;
  mask: Uint8Array | null;
  /** Row features; absent: L is unconstrained. */
  X?: Features;
  /** Column features; absent with X present: Y = I implicitly (L = X·H, H is d₁×n). */
  Y?: Features;
  N?: Dense;
  alpha: number;
}

/** Runs the ALM on a validated problem. */
export function solveAlm(p: AlmProblem, o: RpcaSideOptions): RpcaResult {
  const { M, mask, X, Y, N, alpha } = p;
  const { rows: m, cols: n } = M;
  const size = m * n;
  const lambda = weightOfS(o.lambda, m, n, mask);
  const method = o.method ?? 'ialm';
  const tol = o.tol ?? 1e-7;
  const tolDual = o.tolDual ?? 1e-4;
  const maxIter = o.maxIter ?? 1000;
  if (!(alpha >= 0)) throw new Error(`alpha must be a non-negative number (got ${alpha})`);
  if (!(tol > 0)) throw new Error(`tol must be a positive number (got ${tol})`);
  if (!(tolDual > 0)) throw new Error(`tolDual must be a positive number (got ${tolDual})`);
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
  const dualHistory: number[] = [];
  if (dNorm === 0) return finish(L, S, mask, 0, true, 0, history, dualHistory, 0);

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

  const lowRank = X ? featureStep(X, Y, n, rng, o) : plainStep(m, n, rng, o);
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
  /** The L-step; returns ‖L‖* (‖H‖* with features). */
  const lowRankStep = (): number => {
    const d = D.data, s = S.data, y = Y1.data, tt = T.data;
    if (K && Y2 && N) {
      // Both quadratic terms pull L: towards M − S + Y₁/μ and towards N + K − Y₂/μ; their mean, threshold 1/(2μ).
      for (let t = 0; t < size; t++) tt[t] = 0.5 * (d[t]! - s[t]! + y[t]! / mu + N.data[t]! + K.data[t]! - Y2.data[t]! / mu);
      rank = lowRank(T, 1 / (2 * mu), L);
    } else {
      for (let t = 0; t < size; t++) tt[t] = d[t]! - s[t]! + y[t]! / mu;
      rank = lowRank(T, 1 / mu, L);
    }
    return lowRank.nuclear();
  };

  // Stopping rule (Boyd et al. 2011, §3.3): the primal residual r (the constraints, relative to ‖M̃‖_F) below
  // tol and the dual residual s (how far the last block update moved, relative to the multipliers ‖(Y₁, Y₂)‖_F)
  // below tolDual. With the {S, K} block first (ialm), s = μ·(ΔL, −ΔL), so ‖s‖ = μ‖ΔL‖·√(1 + [K]); with L
  // first (admm), s = μ·Aᵀ(ΔS − ΔK), used through its bound μ‖ΔS − ΔK‖ (with features the exact value would
  // cost the products Xᵀ·(·)·Y).
  const prev = zeros(m, n);
  const prevK = K ? zeros(m, n) : null;
  let converged = false;
  let it = 0;
  let nuclearL = 0;
  let balancing = false;
  while (it < maxIter) {
    it++;
    if (method === 'admm') {
      nuclearL = lowRankStep();
      prev.data.set(S.data);
      if (K && prevK) prevK.data.set(K.data);
      sparseStep();
    } else {
      sparseStep();
      prev.data.set(L.data);
      nuclearL = lowRankStep();
    }
    let z1 = 0;
    let yy = 0;
    for (let t = 0; t < size; t++) {
      const z = D.data[t]! - L.data[t]! - S.data[t]!;
      const y = (Y1.data[t]! += mu * z);
      z1 += z * z;
      yy += y * y;
    }
    let z2 = 0;
    if (K && Y2 && N) {
      for (let t = 0; t < size; t++) {
        const z = L.data[t]! - N.data[t]! - K.data[t]!;
        const y = (Y2.data[t]! += mu * z);
        z2 += z * z;
        yy += y * y;
      }
    }
    let moved = 0;
    if (method === 'admm') {
      for (let t = 0; t < size; t++) {
        const d = S.data[t]! - prev.data[t]! - (K && prevK ? K.data[t]! - prevK.data[t]! : 0);
        moved += d * d;
      }
    } else {
      for (let t = 0; t < size; t++) moved += (L.data[t]! - prev.data[t]!) ** 2;
      if (K) moved *= 2;
    }
    const residual = Math.sqrt(Math.max(z1, z2)) / dNorm;
    const dualResidual = yy > 0 ? (mu * Math.sqrt(moved)) / Math.sqrt(yy) : 0;
    history.push(residual);
    dualHistory.push(dualResidual);
    o.onIteration?.({ iteration: it, residual, dualResidual, rank, mu });
    if (residual < tol && dualResidual < tolDual) {
      converged = true;
      break;
    }
    if (method === 'admm') continue;
    // Lin et al.'s continuation until the constraints hold. If the dual residual is then still large, that large
    // μ would freeze the iterates at a feasible but suboptimal point, so from there on μ follows residual
    // balancing (Boyd et al. 2011, §3.4.1) with each residual measured against its tolerance: μ shrinks while the
    // dual residual dominates by more than BALANCE, grows while the primal one does.
    if (residual < tol) balancing = true;
    const primal = residual / tol;
    const dual = dualResidual / tolDual;
    if (!balancing || primal > BALANCE * dual) mu = Math.min(mu * rho, muMax);
    else if (dual > BALANCE * primal) mu /= rho;
  }
  const objective = nuclearL + (kSvt ? alpha * kSvt.nuclear : 0) + lambda * observedL1(S, mask);
  const out = finish(L, S, mask, rank, converged, it, history, dualHistory, objective);
  if (X && lowRank.core) out.H = toMatrix(lowRank.core());
  return out;
}

/**
 * λ: a number as given; by default 1/√max(m, n) (Candès et al. 2011, Theorem 1.1); 'observed' scales it by the
 * observed fraction ρ of the mask, 1/√(ρ·max(m, n)) (their §1.4, Theorem 1.2: λ = 1/√(0.1·n) at ρ = 0.1).
 */
function weightOfS(lambda: number | 'observed' | undefined, m: number, n: number, mask: Uint8Array | null): number {
  if (lambda === undefined || lambda === 'observed') {
    let observed = m * n;
    if (lambda === 'observed' && mask) observed = mask.reduce((a, b) => a + b, 0);
    return 1 / Math.sqrt(((observed / (m * n)) * Math.max(m, n)));
  }
  if (!(typeof lambda === 'number' && lambda > 0)) throw new Error(`lambda must be a positive number or 'observed' (got ${String(lambda)})`);
  return lambda;
}

/** ‖P_Ω S‖₁. */
function observedL1(S: Dense, mask: Uint8Array | null): number {
  let sum = 0;
  for (let t = 0; t < S.data.length; t++) if (!mask || mask[t]) sum += Math.abs(S.data[t]!);
  return sum;
}

function finish(
  L: Dense,
  S: Dense,
  mask: Uint8Array | null,
  rank: number,
  converged: boolean,
  iterations: number,
  history: number[],
  dualHistory: number[],
  objective: number,
): RpcaResult {
  if (mask) for (let t = 0; t < S.data.length; t++) if (!mask[t]) S.data[t] = 0;
  return { L: toMatrix(L), S: toMatrix(S), iterations, converged, rank, objective, history, dualHistory };
}

type LowRankStep = ((T: Dense, tau: number, out: Dense) => number) & { nuclear: () => number; core?: () => Dense };

function plainStep(m: number, n: number, rng: Rng, o: RpcaSideOptions): LowRankStep {
  const svt = new SvtEngine(m, n, rng, { mode: o.svd });
  const step: LowRankStep = (T, tau, out) => svt.threshold(T, tau, out);
  step.nuclear = () => svt.nuclear;
  return step;
}

/**
 * With orthonormal features, ‖X·H·Yᵀ − T‖_F² = ‖H − Xᵀ·T·Y‖_F² + const, so the L-step is an SVT of the small
 * d₁×d₂ matrix Xᵀ·T·Y. Without Y (the left-subspace-only mode, Y = I implicitly) it is an SVT of the d₁×n matrix
 * Xᵀ·T and L = X·H: every buffer is then m×n, n×m, d₁×n or n×d₁, so no n×n identity or product is formed.
 */
function featureStep(X: Features, Y: Features | undefined, n: number, rng: Rng, o: RpcaSideOptions): LowRankStep {
  const d1 = X.rows.rows;
  const d2 = Y ? Y.rows.rows : n;
  const m = X.cols.rows;
  const svt = new SvtEngine(d1, d2, rng, { mode: o.svd });
  const TY = Y ? zeros(m, d2) : zeros(n, m); // T·Y, or Tᵀ without Y
  const TYt = Y ? zeros(d2, m) : TY;
  const core = zeros(d1, d2);
  const H = zeros(d1, d2);
  const Ht = zeros(d2, d1);
  const XH = Y ? zeros(m, d2) : null;
  const step: LowRankStep = (T, tau, out) => {
    if (Y) gemmNT(T, Y.rows, TY);
    gemmNT(X.rows, Y ? transposeInto(TY, TYt) : transposeInto(T, TYt), core);
    const rank = svt.threshold(core, tau, H);
    if (Y && XH) {
      gemmNT(X.cols, transposeInto(H, Ht), XH);
      gemmNT(XH, Y.cols, out);
    } else gemmNT(X.cols, transposeInto(H, Ht), out);
    return rank;
  };
  step.core = () => clone(H);
  step.nuclear = () => svt.nuclear;
  return step;
}
