import { Rng } from '@facelab/runtime';
import { initBackend, tf } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { beforeAll, describe, expect, test } from 'vitest';
import { candesProblem, pcp, relativeError, supportAgreement } from '../src/index.js';
import { randomMask } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('pcp (inexact ALM) recovers Candès problems exactly', () => {
  // Ground truth L₀, S₀ is the reference; Lin et al. report 18–21 IALM iterations at tol 1e-7 on this family.
  const cases = [
    { n: 100, corruption: 0.05 },
    { n: 100, corruption: 0.1 },
    { n: 200, corruption: 0.05 },
    { n: 200, corruption: 0.1 },
    { n: 400, corruption: 0.05 },
    { n: 400, corruption: 0.1 },
  ];
  for (const { n, corruption } of cases) {
    test(`n = ${n}, rank ${0.05 * n}, ${corruption * 100}% corruption`, () => {
      const r = Math.round(0.05 * n);
      const P = candesProblem({ m: n, rank: r, corruption, seed: n + 1000 * corruption });
      const res = pcp(P.M);
      expect(res.converged).toBe(true);
      expect(res.rank).toBe(r);
      expect(relativeError(res.L, P.L0)).toBeLessThan(1e-5);
      const support = supportAgreement(res.S, P.S0);
      expect(support.missed).toBe(0);
      expect(support.spurious).toBe(0);
      expect(res.iterations).toBeGreaterThanOrEqual(16);
      expect(res.iterations).toBeLessThanOrEqual(23);
      expect(res.history).toHaveLength(res.iterations);
      expect(res.history.at(-1)).toBeLessThan(1e-7);
    });
  }

  test('n = 500, rank 25, 5%: relative error ≈ 1e-6 (paper: 1.1e-6)', () => {
    const P = candesProblem({ m: 500, rank: 25, corruption: 0.05, seed: 7 });
    const res = pcp(P.M);
    const err = relativeError(res.L, P.L0);
    expect(err).toBeLessThan(3e-6);
    expect(err).toBeGreaterThan(1e-7);
    expect(res.rank).toBe(25);
  });
});

test('the partial SVD path reaches the accuracy of the full SVD path', () => {
  const P = candesProblem({ m: 120, rank: 6, corruption: 0.1, seed: 4 });
  const partial = pcp(P.M, { svd: 'partial' });
  const full = pcp(P.M, { svd: 'full' });
  expect(relativeError(partial.L, P.L0)).toBeLessThan(1e-5);
  expect(relativeError(full.L, P.L0)).toBeLessThan(1e-5);
  expect(relativeError(partial.L, full.L)).toBeLessThan(2e-6);
  expect(Math.abs(partial.iterations - full.iterations)).toBeLessThanOrEqual(1);
});

test("method 'admm' (Candès' fixed μ) converges to the same solution", () => {
  const P = candesProblem({ m: 100, rank: 5, corruption: 0.1, seed: 21 });
  const res = pcp(P.M, { method: 'admm' });
  expect(res.converged).toBe(true);
  expect(relativeError(res.L, P.L0)).toBeLessThan(1e-5);
  // Fixed μ: the residual falls geometrically but more slowly than with μ continuation.
  expect(res.iterations).toBeGreaterThan(pcp(P.M).iterations);
});

test('mask: 20% missing, rank 5, 10% corruption → the missing entries are completed (~1e-6)', () => {
  const rng = new Rng(9);
  const P = candesProblem({ m: 100, rank: 5, corruption: 0.1, seed: 13 });
  const mask = randomMask(100, 100, 0.2, rng);
  // Hide the data under the mask with garbage: the solver must not read it.
  const M = P.M.clone();
  for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) if (mask.get(i, j) === 0) M.set(i, j, 1e3);
  const res = pcp(M, { mask });
  expect(res.converged).toBe(true);
  expect(relativeError(res.L, P.L0)).toBeLessThan(1e-5);
  let hidden = 0;
  let hiddenErr = 0;
  for (let i = 0; i < 100; i++) {
    for (let j = 0; j < 100; j++) {
      if (mask.get(i, j) === 1) continue;
      hidden++;
      hiddenErr = Math.max(hiddenErr, Math.abs(res.L.get(i, j) - P.L0.get(i, j)));
      expect(res.S.get(i, j)).toBe(0);
    }
  }
  expect(hidden).toBeGreaterThan(1500);
  expect(hiddenErr).toBeLessThan(1e-4);
});

test('number[][] input, onIteration progress and determinism', () => {
  const P = candesProblem({ m: 60, rank: 3, corruption: 0.05, seed: 2 });
  const seen: number[] = [];
  const a = pcp(P.M.to2DArray(), { onIteration: (p) => seen.push(p.iteration) });
  const b = pcp(P.M);
  expect(seen).toEqual(Array.from({ length: a.iterations }, (_, i) => i + 1));
  expect(a.L.to2DArray()).toEqual(b.L.to2DArray());
});

test("the caller's matrices are never mutated", () => {
  const rng = new Rng(3);
  const P = candesProblem({ m: 40, rank: 2, corruption: 0.1, seed: 5 });
  const M = P.M.to2DArray();
  const mask = randomMask(40, 40, 0.1, rng);
  const copyM = structuredClone(M);
  const copyMask = mask.to2DArray();
  const Mm = new Matrix(M);
  pcp(M, { mask });
  pcp(Mm, { mask: mask.to2DArray() });
  expect(M).toEqual(copyM);
  expect(Mm.to2DArray()).toEqual(copyM);
  expect(mask.to2DArray()).toEqual(copyMask);
});

test('no tensors are created or leaked (50 calls)', () => {
  const P = candesProblem({ m: 20, rank: 2, corruption: 0.05, seed: 8 });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) pcp(P.M, { maxIter: 3 });
  expect(tf.memory().numTensors).toBe(before);
});

test("'auto' uses the full SVD when the predicted rank nears min(m, n): identical to 'full' on a small matrix", () => {
  // 16×16: 10 predicted + 10 oversampled ≥ 16/2 from the first iteration on.
  const P = candesProblem({ m: 16, rank: 1, corruption: 0.05, seed: 40 });
  expect(pcp(P.M).L.to2DArray()).toEqual(pcp(P.M, { svd: 'full' }).L.to2DArray());
  expect(pcp(P.M, { svd: 'partial' }).L.to2DArray()).not.toEqual(pcp(P.M, { svd: 'full' }).L.to2DArray());
});
