import type { Rng } from '@facelab/core-tensor';
import type { Dense } from './dense.js';

/**
 * Orthonormalises the rows of `a` in place by Gram–Schmidt applied twice ("twice is enough": orthogonal to
 * machine precision). If `r` (k×k) is given it receives the upper-triangular factor with
 * row_j(before) = Σ_{i≤j} r[i,j]·row_i(after). A row that is (numerically) in the span of the previous ones is
 * replaced by a random unit direction orthogonal to them, with r[j,j] = 0, so the result is always a full
 * orthonormal basis (requires rows ≤ cols). Returns the number of rows replaced.
 */
export function orthonormalizeRows(a: Dense, rng: Rng, r?: Float64Array): number {
  const { rows: k, cols: len, data } = a;
  if (k > len) throw new Error(`orthonormalizeRows: ${k} rows cannot be orthonormal in dimension ${len}`);
  if (r) r.fill(0);
  let replaced = 0;
  for (let j = 0; j < k; j++) {
    const vj = j * len;
    const before = rowNorm(data, vj, len);
    projectOut(data, j, len, r, k);
    let nrm = rowNorm(data, vj, len);
    if (!(nrm > 1e-13 * before)) {
      replaced++;
      for (let tries = 0; tries < 8; tries++) {
        for (let t = 0; t < len; t++) data[vj + t] = rng.normal();
        const b = rowNorm(data, vj, len);
        projectOut(data, j, len);
        nrm = rowNorm(data, vj, len);
        if (nrm > 0.1 * b) break;
      }
    } else if (r) {
      r[j * k + j] = nrm;
    }
    const inv = 1 / nrm;
    for (let t = 0; t < len; t++) data[vj + t]! *= inv;
  }
  return replaced;
}

/** Removes from row j its components along rows 0..j−1 (two passes), accumulating coefficients into r. */
function projectOut(data: Float64Array, j: number, len: number, r?: Float64Array, k = 0): void {
  const vj = j * len;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < j; i++) {
      const vi = i * len;
      let c = 0;
      for (let t = 0; t < len; t++) c += data[vi + t]! * data[vj + t]!;
      for (let t = 0; t < len; t++) data[vj + t]! -= c * data[vi + t]!;
      if (r) r[i * k + j]! += c;
    }
  }
}

function rowNorm(d: Float64Array, off: number, len: number): number {
  let s = 0;
  for (let t = 0; t < len; t++) s += d[off + t]! * d[off + t]!;
  return Math.sqrt(s);
}
