/**
 * The left-subspace-only mode of pcpf / pcpsf (Y = null: L = X·H, Y = I implicitly): equal to passing Y = I on a
 * small problem, and no n×n matrix is allocated or multiplied on its path (every buffer and product is recorded
 * through spies on the dense allocator and the product kernels).
 */
import { Rng } from '@facelab/runtime';
import { Matrix } from 'ml-matrix';
import { beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { gaussian, randomMask, withRandomColumns } from './helpers.js';

const shapes: [number, number][] = [];
vi.mock('../src/linalg/dense.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../src/linalg/dense.js')>();
  return {
    ...mod,
    zeros: (rows: number, cols: number) => {
      shapes.push([rows, cols]);
      return mod.zeros(rows, cols);
    },
  };
});
vi.mock('../src/linalg/gemm.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../src/linalg/gemm.js')>();
  type D = import('../src/linalg/dense.js').Dense;
  const record = (...ds: D[]) => ds.forEach((d) => shapes.push([d.rows, d.cols]));
  return {
    ...mod,
    gemmNT: (P: D, Q: D, out: D) => (record(P, Q, out), mod.gemmNT(P, Q, out)),
    gemmNN: (P: D, Q: D, out: D, ...rest: unknown[]) => (record(P, Q, out), (mod.gemmNN as (...a: unknown[]) => D)(P, Q, out, ...rest)),
  };
});

const { pcpf, pcpsf } = await import('../src/index.js');

beforeAll(async () => {
  const { initBackend } = await import('@facelab/core-tensor');
  await initBackend('cpu');
});
beforeEach(() => {
  shapes.length = 0;
});

/** A rank-r m×n problem with sparse corruption and 20 % missing entries, a noisy prior and row features. */
function problem(m: number, n: number, r: number, seed: number) {
  const rng = new Rng(seed);
  const A = gaussian(m, r, rng);
  const L0 = A.mmul(gaussian(r, n, rng));
  const M = L0.clone();
  for (let t = 0; t < (m * n) / 20; t++) M.set(rng.int(m), rng.int(n), 10 * rng.normal());
  const N = L0.clone().add(gaussian(m, n, rng).mul(0.1));
  return { M, L0, N, X: withRandomColumns(A, 3, rng), mask: randomMask(m, n, 0.2, rng) };
}

test('pcpsf with Y = null equals pcpsf with Y = I to 1e-8 (L, S, H, iterations)', () => {
  const P = problem(30, 24, 3, 7);
  const opts = { mask: P.mask, alpha: 0.5, tolDual: Infinity };
  const left = pcpsf(P.M, P.N, P.X, null, opts);
  const eye = pcpsf(P.M, P.N, P.X, Matrix.eye(24), opts);
  expect(left.iterations).toBe(eye.iterations);
  expect(left.converged).toBe(true);
  expect(left.H!.rows).toBe(6);
  expect(left.H!.columns).toBe(24);
  expect(Math.max(...left.L.clone().sub(eye.L).abs().to1DArray())).toBeLessThan(1e-8);
  expect(Math.max(...left.S.clone().sub(eye.S).abs().to1DArray())).toBeLessThan(1e-8);
  expect(Math.abs(left.objective - eye.objective)).toBeLessThan(1e-8 * eye.objective);
});

test('pcpf with Y = null equals pcpf with Y = I to 1e-8', () => {
  const P = problem(28, 20, 2, 8);
  const left = pcpf(P.M, P.X, null, { tolDual: Infinity });
  const eye = pcpf(P.M, P.X, Matrix.eye(20), { tolDual: Infinity });
  expect(Math.max(...left.L.clone().sub(eye.L).abs().to1DArray())).toBeLessThan(1e-8);
});

test('no n×n buffer or product on the left-only path; the Y = I path does form them (the spy sees them)', () => {
  // n = 50 columns, more than m = 40 rows, so an n×n shape cannot be an m-sized buffer by coincidence.
  const P = problem(40, 50, 3, 9);
  pcpsf(P.M, P.N, P.X, null, { mask: P.mask, tolDual: Infinity, maxIter: 30 });
  expect(shapes.length).toBeGreaterThan(100);
  expect(shapes.filter(([r, c]) => r === 50 && c === 50)).toEqual([]);
  shapes.length = 0;
  pcpsf(P.M, P.N, P.X, Matrix.eye(50), { mask: P.mask, tolDual: Infinity, maxIter: 30 });
  expect(shapes.some(([r, c]) => r === 50 && c === 50)).toBe(true);
});

test('Y = undefined is still an error naming Y (null is the explicit opt-in)', () => {
  const P = problem(10, 8, 1, 10);
  expect(() => pcpsf(P.M, P.N, P.X, undefined as unknown as null)).toThrow(/^Y /);
});
