import type { Matrix } from 'ml-matrix';

/** ‖A − B‖_F / ‖B‖_F. */
export function relativeError(A: Matrix, B: Matrix): number {
  if (A.rows !== B.rows || A.columns !== B.columns) {
    throw new Error(`relativeError: shapes differ (${A.rows}×${A.columns} vs ${B.rows}×${B.columns})`);
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.columns; j++) {
      const b = B.get(i, j);
      num += (A.get(i, j) - b) ** 2;
      den += b * b;
    }
  }
  return Math.sqrt(num) / Math.sqrt(den);
}

/** How well the support of S matches S₀ (|S| > tol counts as support). */
export function supportAgreement(S: Matrix, S0: Matrix, tol = 1e-3): { missed: number; spurious: number; size: number } {
  let missed = 0;
  let spurious = 0;
  let size = 0;
  for (let i = 0; i < S0.rows; i++) {
    for (let j = 0; j < S0.columns; j++) {
      const truth = S0.get(i, j) !== 0;
      const found = Math.abs(S.get(i, j)) > tol;
      if (truth) size++;
      if (truth && !found) missed++;
      if (!truth && found) spurious++;
    }
  }
  return { missed, spurious, size };
}
