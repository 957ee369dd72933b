/**
 * Float64 helpers for the affine latent model z' = A z + b, kept as the homogeneous (d + 1) × (d + 1) matrix
 * [[A, b], [0, 1]] so that k steps are one matrix power and backward steps use its inverse.
 */
import { Matrix, inverse, solve } from 'ml-matrix';

/** A row-major square matrix in float64 with its order. */
export interface SquareMatrix {
  order: number;
  data: Float64Array;
}

/** [[A, b], [0, 1]] from A (d × d, row-major) and b (d). */
export function homogeneous(a: ArrayLike<number>, b: ArrayLike<number>, d: number): SquareMatrix {
  const n = d + 1;
  const data = new Float64Array(n * n);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) data[i * n + j] = a[i * d + j]!;
    data[i * n + d] = b[i]!;
  }
  data[n * n - 1] = 1;
  return { order: n, data };
}

const toMatrix = (m: SquareMatrix) => new Matrix(Array.from({ length: m.order }, (_, i) => Array.from(m.data.subarray(i * m.order, (i + 1) * m.order))));
const fromMatrix = (m: Matrix): SquareMatrix => ({ order: m.rows, data: Float64Array.from(m.to1DArray()) });

function multiply(x: SquareMatrix, y: SquareMatrix): SquareMatrix {
  const n = x.order;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const v = x.data[i * n + k]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += v * y.data[k * n + j]!;
    }
  }
  return { order: n, data: out };
}

/** The inverse of `m`; throws when `m` is singular or too badly conditioned to invert in float64. */
export function invert(m: SquareMatrix, what: string): SquareMatrix {
  const singular = (err: string) =>
    new Error(`${what} is singular or ill-conditioned (${err}); backward steps need an invertible latent model`);
  let inv: Matrix;
  try {
    inv = inverse(toMatrix(m));
  } catch (e) {
    throw singular((e as Error).message);
  }
  const check = multiply(m, fromMatrix(inv));
  let err = 0;
  for (let i = 0; i < m.order; i++) for (let j = 0; j < m.order; j++) err = Math.max(err, Math.abs(check.data[i * m.order + j]! - (i === j ? 1 : 0)));
  if (!(err < 1e-6)) throw singular(`‖M·M⁻¹ − I‖∞ = ${err.toExponential(2)}`);
  return fromMatrix(inv);
}

/** mᵏ for an integer k (negative k: powers of the inverse), by repeated squaring. */
export function matrixPower(m: SquareMatrix, k: number, what: string): SquareMatrix {
  if (!Number.isInteger(k)) throw new Error(`${what}: step count must be an integer, got ${k}`);
  let base = k < 0 ? invert(m, what) : m;
  let e = Math.abs(k);
  let out: SquareMatrix = { order: m.order, data: new Float64Array(m.order * m.order) };
  for (let i = 0; i < m.order; i++) out.data[i * m.order + i] = 1;
  while (e > 0) {
    if (e & 1) out = multiply(out, base);
    e >>= 1;
    if (e > 0) base = multiply(base, base);
  }
  return out;
}

/** Splits [[A, b], [0, 1]] back into A (d × d, row-major) and b. */
export function splitHomogeneous(m: SquareMatrix): { a: Float64Array; b: Float64Array } {
  const d = m.order - 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * d + j] = m.data[i * m.order + j]!;
    b[i] = m.data[i * m.order + d]!;
  }
  return { a, b };
}

/**
 * The least-squares affine map z₁ ≈ A z₀ + b over N latent pairs (rows of `z0`, `z1`, each N × d row-major),
 * via the SVD (minimum-norm solution when the pairs do not determine it). With `bias: false`, b = 0.
 */
export function leastSquaresAffine(
  z0: ArrayLike<number>,
  z1: ArrayLike<number>,
  d: number,
  bias = true,
): { a: Float64Array; b: Float64Array } {
  const n = z0.length / d;
  if (!Number.isInteger(n) || z1.length !== z0.length) {
    throw new Error(`leastSquaresAffine: latents of ${z0.length} and ${z1.length} values do not form pairs of dimension ${d}`);
  }
  const cols = bias ? d + 1 : d;
  const left = new Matrix(n, cols);
  const right = new Matrix(n, d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      left.set(r, j, z0[r * d + j]!);
      right.set(r, j, z1[r * d + j]!);
    }
    if (bias) left.set(r, d, 1);
  }
  const w = solve(left, right, true); // cols × d: z1 = [z0, 1] · w
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * d + j] = w.get(j, i);
    if (bias) b[i] = w.get(d, i);
  }
  return { a, b };
}
