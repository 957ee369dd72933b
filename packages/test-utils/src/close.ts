/**
 * Closeness assertions for numbers, (nested) arrays, typed arrays and tensors. A tensor is anything with `shape`
 * and `dataSync()`, so this module needs no TensorFlow.js.
 */
import { assert } from 'vitest';

/** Tolerances: `|actual − expected| ≤ max(atol, rtol·|expected|)` element-wise; both default to 0 (exact). */
export interface CloseOptions {
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance, scaled by |expected|. */
  rtol?: number;
  /** Prefixes the failure message. */
  message?: string;
}

/** A tensor as far as these helpers need one. */
export interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

/** What {@link expectClose} compares. */
export type Numeric = number | ArrayLike<number> | TensorLike | readonly Numeric[];

function isTensorLike(x: unknown): x is TensorLike {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x;
}

/** Flat values and shape: a tensor's own, a nested array's by nesting, a number's []. */
function flatten(x: Numeric): { values: ArrayLike<number>; shape: number[] } {
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (isTensorLike(x)) return { values: x.dataSync(), shape: x.shape };
  const items = Array.from(x as ArrayLike<Numeric>);
  if (items.every((v) => typeof v === 'number')) return { values: items as number[], shape: [items.length] };
  const parts = items.map(flatten);
  return { values: parts.flatMap((p) => Array.from(p.values)), shape: [items.length, ...(parts[0]?.shape ?? [])] };
}

/** Flat index → `[i, j, …]` in `shape`. */
function indexIn(flat: number, shape: number[]): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/**
 * Asserts `actual` matches `expected` element-wise within `max(atol, rtol·|expected|)`; shapes must agree where both
 * have one (a flat array matches any shape of the same size). Fails naming the first differing index.
 */
export function expectClose(actual: Numeric, expected: Numeric, { atol = 0, rtol = 0, message }: CloseOptions = {}): void {
  const a = flatten(actual);
  const e = flatten(expected);
  const prefix = message ? `${message}: ` : '';
  const flatShapes = a.shape.length <= 1 || e.shape.length <= 1;
  if (a.values.length !== e.values.length || (!flatShapes && a.shape.join() !== e.shape.join())) {
    assert.fail(`${prefix}shape [${a.shape}] (${a.values.length} values) vs expected [${e.shape}] (${e.values.length})`);
  }
  const shape = a.shape.length > 0 ? a.shape : e.shape;
  for (let i = 0; i < e.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    const tol = Math.max(atol, rtol * Math.abs(y));
    if (x === y || Math.abs(x - y) <= tol) continue;
    const at = shape.length > 0 ? `[${indexIn(i, shape)}]` : 'value';
    assert.fail(`${prefix}${at}: ${x} vs expected ${y}, |difference| ${Math.abs(x - y)} > tolerance ${tol} (atol ${atol}, rtol ${rtol})`);
  }
}

/** max |a − b| / max |b|: the error relative to the largest reference value (a normwise bound, not per element). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(den, 1e-30);
}
