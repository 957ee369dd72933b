import { Rng } from '@facelab/runtime';
import { Matrix } from 'ml-matrix';
import { matmul } from '../linalg/matmul.js';

/** A synthetic RPCA problem M = L₀ + S₀ with its ground truth. */
export interface CandesProblem {
  M: Matrix;
  L0: Matrix;
  S0: Matrix;
  /** The factors with L₀ = A·Bᵀ (m×r and n×r). */
  A: Matrix;
  B: Matrix;
}

/**
 * Candès et al.'s test problem: L₀ = A·Bᵀ with i.i.d. N(0, 1/n) factors of rank r, S₀ with a Bernoulli(ρ)
 * support and independent ±1 values. Deterministic in `seed`.
 */
export function candesProblem(opts: { m: number; n?: number; rank: number; corruption: number; seed?: number }): CandesProblem {
  const m = opts.m;
  const n = opts.n ?? m;
  for (const [name, v] of [['m', m], ['n', n], ['rank', opts.rank]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`candesProblem: ${name} must be a positive integer (got ${v})`);
  }
  if (opts.rank > Math.min(m, n)) throw new Error(`candesProblem: rank ${opts.rank} is more than min(m, n) = ${Math.min(m, n)}`);
  if (!(opts.corruption >= 0 && opts.corruption <= 1)) throw new Error(`candesProblem: corruption must be a fraction in [0, 1] (got ${opts.corruption})`);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) throw new Error(`candesProblem: seed must be an integer (got ${opts.seed})`);
  const rng = new Rng(opts.seed ?? 1);
  const sd = 1 / Math.sqrt(n);
  const A = Matrix.from1DArray(m, opts.rank, Array.from({ length: m * opts.rank }, () => rng.normal(0, sd)));
  const B = Matrix.from1DArray(n, opts.rank, Array.from({ length: n * opts.rank }, () => rng.normal(0, sd)));
  const L0 = matmul(A, B.transpose());
  const S0 = new Matrix(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) if (rng.next() < opts.corruption) S0.set(i, j, rng.next() < 0.5 ? -1 : 1);
  }
  return { M: L0.clone().add(S0), L0, S0, A, B };
}
