import { initBackend } from '@facelab/core-tensor';
import { applyEnvironment, env, nativeGemmF64Available, onnxRuntimeStats, Rng } from '@facelab/runtime';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { matmul, randomizedSvd } from '../src/index.js';
import { type Dense, transpose, zeros } from '../src/linalg/dense.js';
import { gemmNN, gemmNT } from '../src/linalg/gemm.js';
import { orthonormalizeRows } from '../src/linalg/orth.js';
import { spectralNorm } from '../src/linalg/svd.js';
import { toDense } from '../src/model/validate.js';
import { gaussian } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** P·Qᵀ by the definition (P: m×K, Q: n×K row-major). */
function tripleNT(P: Dense, Q: Dense): Float64Array {
  const [m, n, K] = [P.rows, Q.rows, P.cols];
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < K; t++) s += P.data[i * K + t]! * Q.data[j * K + t]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

function maxRelDiff(x: Float64Array, ref: Float64Array): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - ref[i]!));
    r = Math.max(r, Math.abs(ref[i]!));
  }
  return d / r;
}

describe.each(['js', 'native', 'auto'] as const)('products with FACELAB_RPCA_GEMM=%s', (engine) => {
  beforeEach(() => {
    env.rpcaGemm = engine;
  });
  afterEach(() => {
    env.rpcaGemm = 'auto';
  });

  // Shapes: tiles, ragged edges, K blocks of the JS kernel, and products above the native threshold.
  const shapes = [[1, 1, 1], [7, 5, 6], [9, 13, 600], [4, 8, 1030], [64, 130, 70], [33, 300, 129]] as const;

  test('gemmNT and gemmNN equal the triple loop', () => {
    const rng = new Rng(1);
    for (const [m, n, K] of shapes) {
      const P = toDense(gaussian(m, K, rng), 'P');
      const Q = toDense(gaussian(n, K, rng), 'Q');
      const ref = tripleNT(P, Q);
      expect(maxRelDiff(gemmNT(P, Q, zeros(m, n)).data, ref), `NT ${m}×${n}×${K}`).toBeLessThan(1e-13);
      expect(maxRelDiff(gemmNN(P, transpose(Q), zeros(m, n)).data, ref), `NN ${m}×${n}×${K}`).toBeLessThan(1e-13);
    }
  });

  test('an empty reduction axis gives zeros, stale output is overwritten', () => {
    const out = { rows: 5, cols: 6, data: new Float64Array(30).fill(7) };
    gemmNT({ rows: 5, cols: 0, data: new Float64Array(0) }, { rows: 6, cols: 0, data: new Float64Array(0) }, out);
    expect(Array.from(out.data)).toEqual(new Array(30).fill(0));
  });
});

test('auto sends only products above the threshold to onnxruntime (when it loads), with the same results as js', () => {
  const rng = new Rng(9);
  const P = toDense(gaussian(40, 200, rng), 'P'); // 2·40·60·200 = 0.96 MFLOP: JS
  const Q = toDense(gaussian(60, 200, rng), 'Q');
  const R = toDense(gaussian(80, 200, rng), 'R'); // 2·80·60·200 = 1.9 MFLOP: native
  const before = onnxRuntimeStats().runs;
  gemmNT(P, Q, zeros(40, 60));
  expect(onnxRuntimeStats().runs).toBe(before);
  const native = gemmNT(R, Q, zeros(80, 60));
  expect(onnxRuntimeStats().runs).toBe(before + (nativeGemmF64Available() ? 1 : 0));
  env.rpcaGemm = 'js';
  try {
    expect(maxRelDiff(native.data, gemmNT(R, Q, zeros(80, 60)).data)).toBeLessThan(1e-13);
  } finally {
    env.rpcaGemm = 'auto';
  }
});

test('products refuse mismatched shapes and an unknown FACELAB_RPCA_GEMM', () => {
  expect(() => gemmNT(zeros(2, 3), zeros(4, 5), zeros(2, 4))).toThrow(/gemmNT: inner dimensions differ \(3 vs 5\)/);
  expect(() => gemmNN(zeros(2, 3), zeros(4, 5), zeros(2, 5))).toThrow(/gemmNN: inner dimensions differ \(3 vs 4\)/);
  expect(() => gemmNT(zeros(2, 3), zeros(4, 3), zeros(2, 5))).toThrow(/gemmNT: out is 2×5 but the product is 2×4/);
  applyEnvironment({ FACELAB_RPCA_GEMM: 'blas' });
  try {
    expect(() => gemmNT(zeros(2, 3), zeros(4, 3), zeros(2, 4))).toThrow(/FACELAB_RPCA_GEMM must be 'auto', 'js' or 'native', got 'blas'/);
  } finally {
    env.rpcaGemm = 'auto';
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

/** max |Q·Qᵀ − I| and max |rᵀ·Q − A| / max |A| for rows Q (k×len) orthonormalised from A with factor r. */
function qrErrors(A: Dense, Q: Dense, r: Float64Array): { orth: number; recon: number } {
  const k = A.rows;
  const G = tripleNT(Q, Q);
  let orth = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) orth = Math.max(orth, Math.abs(G[i * k + j]! - (i === j ? 1 : 0)));
  const Rt = zeros(k, k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Rt.data[j * k + i] = r[i * k + j]!;
  return { orth, recon: maxRelDiff(tripleNT(Rt, transpose(Q)), A.data) };
}

test.each(['js', 'auto'] as const)('orthonormalizeRows (row-wise, and blocked from 32 rows and k²·len ≥ 4e6, products on %s): orthonormal, A = rᵀQ, r upper triangular', (engine) => {
  env.rpcaGemm = engine;
  try {
    const rng = new Rng(11);
    for (const [k, len] of [[20, 60], [50, 1600], [71, 800]] as const) {
      // Ill-conditioned on purpose: row scales from 1 down to 1e-12.
      const A = toDense(gaussian(k, len, rng), 'A');
      for (let i = 0; i < k; i++) for (let t = 0; t < len; t++) A.data[i * len + t]! *= 10 ** (-12 * ((i * 7) % k) / k);
      const Q = { ...A, data: A.data.slice() };
      const r = new Float64Array(k * k);
      expect(orthonormalizeRows(Q, rng, r)).toBe(0);
      const e = qrErrors(A, Q, r);
      expect(e.orth, `${k}×${len}`).toBeLessThan(1e-14);
      expect(e.recon, `${k}×${len}`).toBeLessThan(1e-14);
      for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect(r[i * k + j]).toBe(0);
    }
  } finally {
    env.rpcaGemm = 'auto';
  }
});

test('orthonormalizeRows completes a rank-deficient input to an orthonormal basis, r[j,j] ≈ 0 for dependent rows', () => {
  const rng = new Rng(12);
  const [k, len] = [48, 1800]; // k²·len ≥ 4e6: the blocked variant
  const A = toDense(gaussian(k, len, rng), 'A');
  A.data.copyWithin(20 * len, 3 * len, 4 * len); // row 20 = row 3 (across blocks)
  A.data.copyWithin(37 * len, 36 * len, 37 * len); // row 37 = row 36 (inside a block)
  A.data.fill(0, 40 * len, 41 * len); // row 40 = 0
  const Q = { ...A, data: A.data.slice() };
  const r = new Float64Array(k * k);
  orthonormalizeRows(Q, rng, r);
  const e = qrErrors(A, Q, r);
  expect(e.orth).toBeLessThan(1e-14);
  expect(e.recon).toBeLessThan(1e-14);
  for (const j of [20, 37, 40]) expect(Math.abs(r[j * k + j]!)).toBeLessThan(1e-12);
  for (const j of [0, 19, 21, 36, 41, 47]) expect(r[j * k + j]!).toBeGreaterThan(1e-3);
});
