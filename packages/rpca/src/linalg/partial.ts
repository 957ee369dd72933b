import { Rng } from '@facelab/runtime';
import { Matrix } from 'ml-matrix';
import { toDense } from '../model/validate.js';
import { zeros } from './dense.js';
import { orthonormalizeRows } from './orth.js';
import { ritzSvd } from './svd.js';

/** The k leading singular triplets: M ≈ U·diag(s)·Vᵀ. */
export interface RandomizedSvdResult {
  U: Matrix;
  s: number[];
  V: Matrix;
}

/**
 * The k leading singular triplets of M by a randomized range finder with `power` power iterations and
 * `oversample` extra vectors (Halko, Martinsson & Tropp 2011), Rayleigh–Ritz on the found subspace.
 */
export function randomizedSvd(M: Matrix | number[][], k: number, options: { power?: number; oversample?: number; seed?: number } = {}): RandomizedSvdResult {
  const D = toDense(M, 'M');
  const small = Math.min(D.rows, D.cols);
  if (!Number.isInteger(k) || k < 1 || k > small) throw new Error(`k must be an integer in [1, ${small}] (got ${k})`);
  const { power = 2, oversample = 10, seed = 1 } = options;
  if (!Number.isInteger(power) || power < 0) throw new Error(`power must be an integer ≥ 0 (got ${power})`);
  if (!Number.isInteger(oversample) || oversample < 0) throw new Error(`oversample must be an integer ≥ 0 (got ${oversample})`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer (got ${seed})`);
  const rng = new Rng(seed);
  const width = Math.min(k + oversample, small);
  const V0 = zeros(width, D.cols);
  for (let t = 0; t < V0.data.length; t++) V0.data[t] = rng.normal();
  orthonormalizeRows(V0, rng);
  const f = ritzSvd(D, V0, power, rng);
  const U = new Matrix(D.rows, k);
  const V = new Matrix(D.cols, k);
  for (let l = 0; l < k; l++) {
    for (let i = 0; i < D.rows; i++) U.set(i, l, f.Ut.data[l * D.rows + i]!);
    for (let j = 0; j < D.cols; j++) V.set(j, l, f.Vt.data[l * D.cols + j]!);
  }
  return { U, s: Array.from(f.s.subarray(0, k)), V };
}
