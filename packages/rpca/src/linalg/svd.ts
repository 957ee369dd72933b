/**
 * Truncated SVDs for singular value thresholding. The partial path is a Rayleigh–Ritz step on a subspace
 * (randomized range finder with power iterations, Halko, Martinsson & Tropp 2011) warm-started from the previous
 * call's right singular vectors, so inside an ALM loop each call is one more step of subspace iteration and costs
 * two O(mnk) products. The number of singular values computed follows Lin, Chen & Ma's rank prediction.
 */
import type { Rng } from '@facelab/runtime';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { type Dense, transposeInto, zeros } from './dense.js';
import { gemmNN, gemmNT, tryNative } from './gemm.js';
import { orthonormalizeRows } from './orth.js';

/** Singular triplets as rows: `Ut` (k×m) and `Vt` (k×n) hold the singular vectors, `s` is descending. */
export interface SvdRows {
  s: Float64Array;
  Ut: Dense;
  Vt: Dense;
}

/**
 * Rayleigh–Ritz SVD of `D` (m×n) on the right subspace spanned by the orthonormal rows of `V0t` (k×n),
 * after `power` extra subspace-iteration steps. Returns k triplets. Dᵀ is needed only by the JS product
 * kernel: it is written into `dtBuffer` (n×m) if given, once per call and only if used.
 */
export function ritzSvd(D: Dense, V0t: Dense, power: number, rng: Rng, dtBuffer?: Dense): SvdRows {
  const k = V0t.rows;
  const Yt = zeros(k, D.rows);
  const Bt = zeros(k, D.cols);
  let Dt: Dense | undefined;
  const dt = (): Dense => (Dt ??= transposeInto(D, dtBuffer ?? zeros(D.cols, D.rows)));
  let Vt = V0t;
  for (let step = 0; ; step++) {
    gemmNT(Vt, D, Yt); // rows of (D·V)ᵀ
    orthonormalizeRows(Yt, rng);
    gemmNN(Yt, D, Bt, dt); // B = Quᵀ·D, one row per basis vector
    if (step >= power) break;
    orthonormalizeRows(Bt, rng);
    Vt = Bt;
  }
  // B = Rᵀ·Qz with Qz orthonormal rows; SVD of the small Rᵀ = Ur Σ Vrᵀ gives D ≈ (Qu Ur) Σ (Qzᵀ Vr)ᵀ.
  const r = new Float64Array(k * k);
  orthonormalizeRows(Bt, rng, r);
  const Rt = new Matrix(k, k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) Rt.set(j, i, r[i * k + j]!);
  const small = new SingularValueDecomposition(Rt, { autoTranspose: false });
  return {
    s: Float64Array.from(small.diagonal),
    Ut: combineRows(small.leftSingularVectors, Yt),
    Vt: combineRows(small.rightSingularVectors, Bt),
  };
}

/** Full SVD (ml-matrix, one-sided for the thin dimension) in the row layout. */
export function fullSvd(D: Dense): SvdRows {
  const A = new Matrix(D.rows, D.cols);
  for (let i = 0; i < D.rows; i++) A.setRow(i, D.data.subarray(i * D.cols, (i + 1) * D.cols) as unknown as number[]);
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const k = Math.min(D.rows, D.cols);
  return {
    s: Float64Array.from(svd.diagonal.slice(0, k)),
    Ut: columnsAsRows(svd.leftSingularVectors, k),
    Vt: columnsAsRows(svd.rightSingularVectors, k),
  };
}

/** Rows of Wᵀ·basis (W is k×k with the combination coefficients in its columns), as one product. */
function combineRows(W: Matrix, basis: Dense): Dense {
  const k = W.columns;
  const Wt = zeros(k, W.rows);
  for (let i = 0; i < W.rows; i++) for (let l = 0; l < k; l++) Wt.data[l * W.rows + i] = W.get(i, l);
  return gemmNN(Wt, basis, zeros(k, basis.cols));
}

function columnsAsRows(W: Matrix, k: number): Dense {
  const out = zeros(k, W.rows);
  for (let l = 0; l < k; l++) for (let i = 0; i < W.rows; i++) out.data[l * W.rows + i] = W.get(i, l);
  return out;
}

/** The thresholding SVD's modes: 'auto' = partial, switching to full when k nears min(m, n). */
export const SVD_MODES = ['auto', 'partial', 'full'] as const;
/** How the thresholding SVD is computed (one of {@link SVD_MODES}). */
export type SvdMode = (typeof SVD_MODES)[number];

/** Options of {@link SvtEngine}. */
export interface SvtOptions {
  mode?: SvdMode;
  /** Extra basis vectors beyond the predicted rank (default 10). */
  oversample?: number;
  /** Power iterations when the subspace is (partly) random: at the start and after the rank grows (default 2). */
  power?: number;
  /** In 'auto', use the full SVD once k ≥ this fraction of min(m, n) (default 0.5). */
  fullFraction?: number;
  /** Initial number of singular values (Lin et al.: 10). */
  initialRank?: number;
}

/**
 * Singular value thresholding D ↦ U·max(Σ − τ, 0)·Vᵀ with Lin et al.'s rank prediction: `sv` singular values
 * are computed; if fewer than sv exceed τ the next call computes svp + 1, otherwise svp + 5% of min(m, n).
 */
export class SvtEngine {
  private readonly m: number;
  private readonly n: number;
  private readonly dt: Dense;
  private readonly opts: Required<SvtOptions>;
  private sv: number;
  private warm: Dense | null = null;
  /** Nuclear norm of the last output, Σ(σ − τ) over the kept singular values. */
  nuclear = 0;

  constructor(m: number, n: number, private readonly rng: Rng, options: SvtOptions = {}) {
    this.m = m;
    this.n = n;
    this.dt = zeros(n, m);
    // `?? default` rather than spreading: callers pass options whose fields may be explicitly undefined.
    this.opts = {
      mode: options.mode ?? 'auto',
      oversample: options.oversample ?? 10,
      power: options.power ?? 2,
      fullFraction: options.fullFraction ?? 0.5,
      initialRank: options.initialRank ?? 10,
    };
    this.sv = Math.min(this.opts.initialRank, Math.min(m, n));
  }

  /** Writes SVT_τ(D) into `out` (m×n) and returns its rank. */
  threshold(D: Dense, tau: number, out: Dense): number {
    const f = this.factor(D);
    let rank = 0;
    while (rank < f.s.length && f.s[rank]! > tau) rank++;
    const full = Math.min(this.m, this.n);
    this.sv = rank < this.sv ? Math.min(rank + 1, full) : Math.min(rank + Math.max(1, Math.round(0.05 * full)), full);
    this.nuclear = 0;
    if (rank === 0) {
      out.data.fill(0);
      return 0;
    }
    // out = Σ_l (σ_l − τ)·u_l·v_lᵀ as one product of (m×rank) and (n×rank)ᵀ.
    const Uw = zeros(this.m, rank);
    const V = zeros(this.n, rank);
    for (let l = 0; l < rank; l++) {
      const w = f.s[l]! - tau;
      this.nuclear += w;
      for (let i = 0; i < this.m; i++) Uw.data[i * rank + l] = w * f.Ut.data[l * this.m + i]!;
      for (let j = 0; j < this.n; j++) V.data[j * rank + l] = f.Vt.data[l * this.n + j]!;
    }
    gemmNT(Uw, V, out);
    return rank;
  }

  private factor(D: Dense): SvdRows {
    const full = Math.min(this.m, this.n);
    const k = Math.min(this.sv + this.opts.oversample, full);
    const useFull = this.opts.mode === 'full' || (this.opts.mode === 'auto' && k >= this.opts.fullFraction * full);
    if (useFull) {
      this.warm = null;
      return fullSvd(D);
    }
    let power = 0;
    let V0 = this.warm;
    if (!V0 || V0.rows < k) {
      // Grow the subspace with random directions; they need a few power iterations to align.
      const start = V0 ? V0.rows : 0;
      const grown = zeros(k, this.n);
      if (V0) grown.data.set(V0.data);
      for (let t = start * this.n; t < grown.data.length; t++) grown.data[t] = this.rng.normal();
      orthonormalizeRows(grown, this.rng);
      V0 = grown;
      power = this.opts.power;
    } else if (V0.rows > k) {
      V0 = { rows: k, cols: this.n, data: V0.data.slice(0, k * this.n) };
    }
    const f = ritzSvd(D, V0, power, this.rng, this.dt);
    this.warm = f.Vt;
    return f;
  }
}

/**
 * ‖D‖₂ by Golub–Kahan–Lanczos bidiagonalisation with full reorthogonalisation (as Lin et al.'s lansvd): it
 * converges in tens of matrix–vector products even when the top of the spectrum is a bulk edge with tiny gaps,
 * where block power iteration would need hundreds.
 */
export function spectralNorm(D: Dense, rng: Rng): number {
  const { rows: m, cols: n } = D;
  const steps = Math.min(m, n, 200);
  if (steps <= 16) return fullSvd(D).s[0] ?? 0;
  const us: Float64Array[] = [];
  const vs: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v: Float64Array = new Float64Array(n).map(() => rng.normal());
  scale(v, 1 / norm(v));
  let prev = -1;
  for (let j = 0; j < steps; j++) {
    vs.push(v);
    const u = matvec(D, v);
    if (j > 0) axpy(u, -beta[j - 1]!, us[j - 1]!);
    reorthogonalize(u, us);
    const a = norm(u);
    alpha.push(a);
    // A zero residual: the Krylov space is exhausted (D has rank j, e.g. a constant matrix), so the bidiagonal
    // built so far (its last column holding β_{j−1}) has D's top singular value exactly.
    if (a === 0) return bidiagonalNorm(alpha, beta, j + 1);
    scale(u, 1 / a);
    us.push(u);
    const w = matvecT(D, u);
    axpy(w, -a, v);
    reorthogonalize(w, vs);
    const b = norm(w);
    beta.push(b);
    if ((j + 1) % 5 === 0 || b < 1e-14 * a || j === steps - 1) {
      const s = bidiagonalNorm(alpha, beta, j + 1);
      if (Math.abs(s - prev) <= 1e-12 * s || b < 1e-14 * a) return s;
      prev = s;
    }
    if (b === 0) break;
    v = w;
    scale(v, 1 / b);
  }
  return prev;
}

/** The largest singular value of the k×k upper bidiagonal matrix with diagonal `alpha` and superdiagonal `beta`. */
function bidiagonalNorm(alpha: readonly number[], beta: readonly number[], k: number): number {
  const B = new Matrix(k, k);
  for (let i = 0; i < k; i++) {
    B.set(i, i, alpha[i]!);
    if (i < k - 1) B.set(i, i + 1, beta[i]!);
  }
  return new SingularValueDecomposition(B, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal[0]!;
}

function matvec(D: Dense, v: Float64Array): Float64Array {
  const out: Dense = { rows: D.rows, cols: 1, data: new Float64Array(D.rows) };
  return gemmNN(D, { rows: D.cols, cols: 1, data: v }, out, () => ({ rows: 1, cols: D.cols, data: v })).data;
}

function matvecT(D: Dense, u: Float64Array): Float64Array {
  const out = new Float64Array(D.cols);
  if (tryNative({ rows: 1, cols: D.rows, data: u }, D, { rows: 1, cols: D.cols, data: out }, false)) return out;
  for (let i = 0; i < D.rows; i++) {
    const ui = u[i]!;
    const o = i * D.cols;
    for (let j = 0; j < D.cols; j++) out[j]! += D.data[o + j]! * ui;
  }
  return out;
}

function reorthogonalize(x: Float64Array, basis: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      let c = 0;
      for (let t = 0; t < x.length; t++) c += q[t]! * x[t]!;
      axpy(x, -c, q);
    }
  }
}

function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let t = 0; t < y.length; t++) y[t]! += a * x[t]!;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) s += x[t]! * x[t]!;
  return Math.sqrt(s);
}

function scale(x: Float64Array, a: number): void {
  for (let t = 0; t < x.length; t++) x[t]! *= a;
}
