/**
 * Quantized regression (DenseReg, arXiv 1803.02188, "quantized regression"): a coordinate u ∈ [0, 1] is split into
 * one of K bins and a residual within it,
 *   q = ⌊u·K⌋ + 1 (clamped to K),   r = u·K − (q − 1) ∈ [0, 1],
 * class 0 standing for background; a prediction is decoded from the arg-max class q̂ and that bin's residual
 *   û = (q̂ + r̂_q̂ − 1) / K,   q̂ = 0 → −1 (background),
 * as the released CombineRegressions layer does. Plain functions on numbers and arrays; the tensor versions
 * live in densereg-loss.ts and eval/decode.ts.
 */
import { checkPositiveInt } from '@facelab/runtime';

/** A coordinate's bin q (1..K; 0 = background) and residual r ∈ [0, 1] within it. */
export interface QuantizedCoordinate {
  q: number;
  r: number;
}

/** Encodes u ∈ [0, 1] (negative = background) with K = `bins`; non-finite or > 1 values are errors. */
export function encodeQuantized(u: number, bins = 10): QuantizedCoordinate {
  checkPositiveInt(bins, 'encodeQuantized: bins');
  if (!Number.isFinite(u) || u > 1) throw new Error(`encodeQuantized: u must be in [0, 1] or negative (background), got ${u}`);
  if (u < 0) return { q: 0, r: 0 };
  const q = Math.min(Math.floor(u * bins) + 1, bins);
  return { q, r: u * bins - (q - 1) };
}

/** Decodes a bin q (0 = background) and residual r: (q + r − 1)/K, or −1 for background. */
export function decodeQuantized(q: number, r: number, bins = 10): number {
  checkPositiveInt(bins, 'decodeQuantized: bins');
  if (!Number.isInteger(q) || q < 0 || q > bins) throw new Error(`decodeQuantized: q must be an integer in [0, ${bins}], got ${q}`);
  return q === 0 ? -1 : (q + r - 1) / bins;
}

/** Encodes a whole U or V map (−1 = background) → bins (Int32Array) and residuals (Float32Array). */
export function encodeQuantizedMap(u: ArrayLike<number>, bins = 10): { q: Int32Array; r: Float32Array } {
  const q = new Int32Array(u.length);
  const r = new Float32Array(u.length);
  for (let i = 0; i < u.length; i++) {
    const c = encodeQuantized(u[i]!, bins);
    q[i] = c.q;
    r[i] = c.r;
  }
  return { q, r };
}
