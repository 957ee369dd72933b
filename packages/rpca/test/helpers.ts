import { Rng } from '@facelab/runtime';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { expect } from 'vitest';

/** [F, `extra` random columns]: features spanning F's column space plus random directions. */
export function withRandomColumns(F: Matrix, extra: number, rng: Rng): Matrix {
  const C = new Matrix(F.rows, F.columns + extra);
  C.setSubMatrix(F, 0, 0);
  for (let i = 0; i < F.rows; i++) for (let j = 0; j < extra; j++) C.set(i, F.columns + j, rng.normal());
  return C;
}

/** A random matrix with i.i.d. N(0, 1) entries. */
export function gaussian(m: number, n: number, rng: Rng): Matrix {
  return Matrix.from1DArray(m, n, Array.from({ length: m * n }, () => rng.normal()));
}

/** A 0/1 mask with each entry missing with probability p. */
export function randomMask(m: number, n: number, p: number, rng: Rng): Matrix {
  return Matrix.from1DArray(m, n, Array.from({ length: m * n }, () => (rng.next() < p ? 0 : 1)));
}

/** Nuclear norm by ml-matrix's (independent, full) SVD. */
export function nuclearNorm(A: Matrix): number {
  return new SingularValueDecomposition(A, { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal.reduce((a, b) => a + b, 0);
}

/** Entry-wise ℓ1 norm. */
export function l1(A: Matrix): number {
  return A.abs().sum();
}

/** A CLI run's check: it exits with `code` (2: usage error, 1: bad data) and one stderr line naming `what`. */
export const exits = (code: number, what: string) => (r: unknown) => {
  const run = r as { code: number; stderr: string };
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(what);
};
