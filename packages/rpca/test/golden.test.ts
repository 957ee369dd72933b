import { readFileSync } from 'node:fs';
import { initBackend } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { beforeAll, expect, test } from 'vitest';
import { pcp, pcps, relativeError } from '../src/index.js';

// Made by test/golden/make_alm.py: numpy (full LAPACK SVD) transcriptions of Lin et al.'s inexact ALM and of
// the pcps ADMM derived in the README.
const golden = JSON.parse(readFileSync(new URL('./golden/alm.json', import.meta.url), 'utf8'));

beforeAll(async () => {
  await initBackend('cpu');
});

test('pcp follows Lin et al.’s inexact ALM iterate for iterate (numpy reference)', () => {
  const M = golden.M as number[][];
  const ref = golden.pcp;
  for (const svd of ['full', 'auto'] as const) {
    // tolDual: Infinity stops on the primal residual alone, as Lin et al.'s code.
    const res = pcp(M, { svd, tolDual: Infinity });
    expect(res.iterations).toBe(ref.iterations);
    expect(res.rank).toBe(ref.rank);
    // The full path repeats numpy's arithmetic; the partial one agrees to well inside the stopping tolerance.
    const tol = svd === 'full' ? 1e-8 : 1e-6;
    expect(relativeError(res.L, new Matrix(ref.L))).toBeLessThan(tol);
    expect(relativeError(res.S, new Matrix(ref.S))).toBeLessThan(tol);
  }
});

test('pcps with a mask (PCPSM) matches an independent numpy implementation of the derived ADMM', () => {
  const ref = golden.pcps;
  const res = pcps(golden.M, ref.N, { mask: ref.mask, alpha: ref.alpha, svd: 'full', tolDual: Infinity });
  expect(res.iterations).toBe(ref.iterations);
  expect(res.rank).toBe(ref.rank);
  expect(relativeError(res.L, new Matrix(ref.L))).toBeLessThan(1e-8);
  expect(relativeError(res.S, new Matrix(ref.S))).toBeLessThan(1e-8);
  res.history.forEach((h, i) => expect(Math.abs(h - ref.history[i]) / ref.history[i]).toBeLessThan(1e-6));
});
