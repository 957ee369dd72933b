/** Input checking: every error names the argument and, for bad entries, the row and column. */
import { Matrix } from 'ml-matrix';
import type { Rng } from '@facelab/runtime';
import { SVD_MODES } from '../linalg/svd.js';
import type { RpcaSideOptions } from './types.js';
import { type Dense, transpose, zeros } from '../linalg/dense.js';
import { orthonormalizeRows } from '../linalg/orth.js';

/** A matrix argument: an ml-matrix `Matrix` or a rectangular `number[][]` (rows). */
export type MatrixInput = Matrix | number[][];

/** Copies a matrix argument into a fresh row-major buffer (so the caller's data is never touched). */
export function toDense(x: unknown, name: string): Dense {
  // isMatrix (not instanceof) also accepts a Matrix from another copy of ml-matrix in the caller's tree.
  if (Matrix.isMatrix(x)) {
    if (x.rows === 0 || x.columns === 0) throw new Error(`${name} is empty (${x.rows}×${x.columns})`);
    const out = zeros(x.rows, x.columns);
    for (let i = 0; i < x.rows; i++) out.data.set(x.getRow(i), i * x.columns);
    return checkFinite(out, name);
  }
  if (!Array.isArray(x)) throw new Error(`${name} must be an ml-matrix Matrix or a number[][] (got ${typeof x})`);
  if (x.length === 0) throw new Error(`${name} is empty (0 rows)`);
  if (!Array.isArray(x[0]) && !ArrayBuffer.isView(x[0])) {
    throw new Error(`${name} is 1-D (a flat array of ${x.length}); pass a 2-D number[][] (rows) or a Matrix`);
  }
  const cols = (x[0] as ArrayLike<number>).length;
  if (cols === 0) throw new Error(`${name} is empty (0 columns)`);
  const out = zeros(x.length, cols);
  for (let i = 0; i < x.length; i++) {
    const row = x[i] as ArrayLike<number>;
    if ((!Array.isArray(row) && !ArrayBuffer.isView(row)) || row.length !== cols) {
      throw new Error(`${name} row ${i} has ${row?.length ?? 'no'} entries but row 0 has ${cols}`);
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      // Number(null) is 0 and Number('0x10') is 16: only numbers are entries.
      if (typeof v !== 'number') throw new Error(`${name}[${i}][${j}] is ${v === null ? 'null' : typeof v === 'string' ? `the string '${v}'` : typeof v}: entries must be finite numbers`);
      out.data[i * cols + j] = v;
    }
  }
  return checkFinite(out, name);
}

/** The range of magnitudes whose sums of squares (norms) stay normal float64 numbers. */
const MIN_SCALE = 1e-150;
const MAX_SCALE = 1e150;

/**
 * Throws unless the largest |entry| of `a` is 0 or within [1e-150, 1e150]: beyond, ‖·‖_F and ‖·‖₂ under- or
 * overflow in float64 and the solver would stop at once with L = S = 0 as "converged".
 */
export function checkScale(a: Dense, name: string): void {
  let max = 0;
  for (let t = 0; t < a.data.length; t++) max = Math.max(max, Math.abs(a.data[t]!));
  if (max !== 0 && (max < MIN_SCALE || max > MAX_SCALE)) {
    throw new Error(`${name}'s largest entry is ${max}: outside [1e-150, 1e150], where its norms under- or overflow in float64; scale ${name}`);
  }
}

/** A positive finite number (or undefined), else an error naming the option. */
function positive(value: unknown, name: string, min = 0, inclusive = false): void {
  if (value === undefined) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && (inclusive ? value >= min : value > min))) {
    throw new Error(`${name} must be a finite number ${inclusive ? '≥' : '>'} ${min} (got ${String(value)})`);
  }
}

/** Checks the options every solver shares (those solveAlm reads without checking further), naming the bad one. */
export function checkOptions(o: RpcaSideOptions): void {
  if (o.method !== undefined && o.method !== 'ialm' && o.method !== 'admm') throw new Error(`method must be 'ialm' or 'admm' (got ${String(o.method)})`);
  if (o.svd !== undefined && !SVD_MODES.includes(o.svd)) throw new Error(`svd must be one of ${SVD_MODES.map((m) => `'${m}'`).join(', ')} (got ${String(o.svd)})`);
  positive(o.mu0, 'mu0');
  positive(o.rho, 'rho', 1, true);
  positive(o.muMaxFactor, 'muMaxFactor', 1, true);
  if (o.alpha !== undefined && !(typeof o.alpha === 'number' && Number.isFinite(o.alpha) && o.alpha >= 0)) {
    throw new Error(`alpha must be a non-negative number (got ${String(o.alpha)})`);
  }
  if (o.lambda !== undefined && o.lambda !== 'observed' && !(typeof o.lambda === 'number' && Number.isFinite(o.lambda) && o.lambda > 0)) {
    throw new Error(`lambda must be a positive number or 'observed' (got ${String(o.lambda)})`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new Error(`seed must be an integer (got ${String(o.seed)})`);
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') throw new Error(`onIteration must be a function (got ${typeof o.onIteration})`);
}

function checkFinite(a: Dense, name: string): Dense {
  for (let t = 0; t < a.data.length; t++) {
    if (!Number.isFinite(a.data[t])) {
      throw new Error(`${name}[${Math.floor(t / a.cols)}][${t % a.cols}] is ${a.data[t]}: entries must be finite numbers`);
    }
  }
  return a;
}

/** Throws unless `a` is rows×cols. */
export function expectShape(a: Dense, name: string, rows: number, cols: number, against: string): void {
  if (a.rows !== rows || a.cols !== cols) {
    throw new Error(`${name} is ${a.rows}×${a.cols} but ${against} is ${rows}×${cols}`);
  }
}

/** The observation mask (1 = observed) as bytes; entries must be 0 or 1 and at least one must be observed. */
export function toMask(x: unknown, m: number, n: number): Uint8Array {
  const a = toDense(x, 'mask');
  expectShape(a, 'mask', m, n, 'M');
  const out = new Uint8Array(m * n);
  let observed = 0;
  for (let t = 0; t < a.data.length; t++) {
    const v = a.data[t]!;
    if (v !== 0 && v !== 1) throw new Error(`mask[${Math.floor(t / n)}][${t % n}] is ${v}: mask entries must be 0 or 1`);
    out[t] = v;
    observed += v;
  }
  if (observed === 0) throw new Error('mask has no observed entry (all zeros)');
  return out;
}

/** Orthonormal feature columns (both layouts) of a side-information feature matrix. */
export interface Features {
  /** d×len: the orthonormal columns as rows. */
  rows: Dense;
  /** len×d. */
  cols: Dense;
}

/**
 * Checks a feature matrix (`len` rows, d ≤ len columns of full rank) and orthonormalises its columns.
 * A column that depends on the previous ones (relative residual < 1e-10) is an error naming the argument.
 */
export function toFeatures(x: unknown, name: string, len: number, dimName: string, rng: Rng): Features {
  const a = toDense(x, name);
  if (a.rows !== len) throw new Error(`${name} has ${a.rows} rows but M has ${len} ${dimName}`);
  if (a.cols > len) throw new Error(`${name} has ${a.cols} columns, more than its ${len} rows: it cannot have full column rank`);
  const rows = transpose(a);
  const norms = Array.from({ length: a.cols }, (_, j) => Math.hypot(...rows.data.subarray(j * len, (j + 1) * len)));
  const r = new Float64Array(a.cols * a.cols);
  orthonormalizeRows(rows, rng, r);
  for (let j = 0; j < a.cols; j++) {
    if (!(r[j * a.cols + j]! > 1e-10 * norms[j]!)) {
      throw new Error(`${name} has rank lower than its ${a.cols} columns (column ${j} is a combination of the previous ones)`);
    }
  }
  return { rows, cols: transpose(rows) };
}

/** A Dense as an ml-matrix Matrix. */
export function toMatrix(a: Dense): Matrix {
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) out.setRow(i, a.data.subarray(i * a.cols, (i + 1) * a.cols) as unknown as number[]);
  return out;
}
