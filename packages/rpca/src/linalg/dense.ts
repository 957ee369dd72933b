/** A row-major Float64 matrix: the solvers' internal representation (no per-row objects, cache-friendly). */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A zero matrix of the given shape. */
export function zeros(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A copy of `a` (the solvers never write into their inputs). */
export function clone(a: Dense): Dense {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/** Writes aᵀ into `out` (cols × rows); 32×32 tiles keep both sides in cache. */
export function transposeInto(a: Dense, out: Dense): Dense {
  const { rows, cols, data } = a;
  const o = out.data;
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) o[j * rows + i] = data[r + j]!;
      }
    }
  }
  return out;
}

/** aᵀ as a new matrix. */
export function transpose(a: Dense): Dense {
  return transposeInto(a, zeros(a.cols, a.rows));
}

/** Frobenius norm. */
export function frobenius(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Largest absolute entry. */
export function maxAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]!));
  return s;
}

/** Sum of absolute entries. */
export function sumAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
  return s;
}
