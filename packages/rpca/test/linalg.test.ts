import { initBackend, Rng } from '@facelab/core-tensor';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, expect, test } from 'vitest';
import { matmul, randomizedSvd } from '../src/index.js';
import { gemmNT } from '../src/linalg/gemm.js';
import { spectralNorm } from '../src/linalg/svd.js';
import { toDense } from '../src/model/validate.js';
import { gaussian } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

test('gemmNT equals the triple loop on ragged shapes (tiles, edges, K blocks)', () => {
  const rng = new Rng(1);
  for (const [m, n, K] of [[1, 1, 1], [7, 5, 6], [9, 13, 600], [4, 8, 1030]] as const) {
    const P = toDense(gaussian(m, K, rng), 'P');
    const Q = toDense(gaussian(n, K, rng), 'Q');
    const C = gemmNT(P, Q, { rows: m, cols: n, data: new Float64Array(m * n) });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < K; t++) s += P.data[i * K + t]! * Q.data[j * K + t]!;
        expect(C.data[i * n + j]).toBeCloseTo(s, 10);
      }
    }
  }
});

/** Q·diag(s)·Wᵀ with random orthonormal factors: a matrix with a prescribed spectrum. */
function withSpectrum(m: number, n: number, s: number[], rng: Rng): Matrix {
  const U = new QrDecomposition(gaussian(m, s.length, rng)).orthogonalMatrix.subMatrix(0, m - 1, 0, s.length - 1);
  const V = new QrDecomposition(gaussian(n, s.length, rng)).orthogonalMatrix.subMatrix(0, n - 1, 0, s.length - 1);
  return U.mulRowVector(s).mmul(V.transpose());
}

/** ‖P_A − P_B‖_F for the column spaces of orthonormal A and B (0 iff the subspaces are equal). */
function subspaceGap(A: Matrix, B: Matrix): number {
  return A.mmul(A.transpose()).sub(B.mmul(B.transpose())).norm();
}

test('randomizedSvd equals ml-matrix full SVD: values and subspaces', () => {
  const rng = new Rng(2);
  // 1) A Gaussian random matrix, all triplets (k = min(m, n)): exact up to rounding.
  const G = gaussian(70, 40, rng);
  const ref = new SingularValueDecomposition(G);
  const all = randomizedSvd(G, 40, { seed: 3 });
  all.s.forEach((s, i) => expect(s).toBeCloseTo(ref.diagonal[i]!, 10));
  expect(subspaceGap(all.U, ref.leftSingularVectors.subMatrix(0, 69, 0, 39))).toBeLessThan(1e-9);
  // 2) Leading 8 triplets of a 150×120 matrix with a decaying spectrum plus a Gaussian tail.
  const spectrum = Array.from({ length: 60 }, (_, i) => 10 * 0.8 ** i);
  const A = withSpectrum(150, 120, spectrum, rng);
  const full = new SingularValueDecomposition(A);
  const part = randomizedSvd(A, 8, { power: 6, seed: 4 });
  part.s.forEach((s, i) => expect(Math.abs(s - full.diagonal[i]!) / full.diagonal[i]!).toBeLessThan(1e-10));
  expect(subspaceGap(part.U, full.leftSingularVectors.subMatrix(0, 149, 0, 7))).toBeLessThan(1e-7);
  expect(subspaceGap(part.V, full.rightSingularVectors.subMatrix(0, 119, 0, 7))).toBeLessThan(1e-7);
  // 3) Reconstruction of an exactly rank-5 matrix.
  const R = withSpectrum(90, 60, [5, 4, 3, 2, 1], rng);
  const r5 = randomizedSvd(R, 5, { power: 0, seed: 5 });
  expect(r5.U.mulRowVector(r5.s).mmul(r5.V.transpose()).sub(R).norm() / R.norm()).toBeLessThan(1e-12);
});

test('spectralNorm (Lanczos) equals the largest singular value', () => {
  const rng = new Rng(6);
  for (const [m, n] of [[10, 8], [120, 90], [60, 200]] as const) {
    const A = gaussian(m, n, rng);
    const ref = new SingularValueDecomposition(A, { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal[0]!;
    expect(Math.abs(spectralNorm(toDense(A, 'A'), rng) - ref) / ref).toBeLessThan(1e-10);
  }
});

test('matmul equals ml-matrix mmul and rejects mismatched shapes', () => {
  const rng = new Rng(7);
  const A = gaussian(37, 29, rng);
  const B = gaussian(29, 11, rng);
  const C = matmul(A, B);
  expect(C.sub(A.mmul(B)).norm() / A.mmul(B).norm()).toBeLessThan(1e-14);
  expect(() => matmul(A, A)).toThrow(/A is 37×29 but B is 37×29/);
});
