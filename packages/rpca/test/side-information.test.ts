import { Rng } from '@facelab/runtime';
import { initBackend } from '@facelab/core-tensor';
import type { Matrix } from 'ml-matrix';
import { beforeAll, expect, test } from 'vitest';
import {
  candesProblem,
  pcp,
  pcpf,
  pcps,
  pcpsf,
  relativeError,
} from '../src/index.js';
import { gaussian, l1, nuclearNorm, randomMask, withRandomColumns } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// The comparisons below are of recovery errors with wide margins, on 100×100 problems where exact recovery fails
// and the dual residual falls slowly (hundreds of iterations); they stop on the primal residual alone (Lin et
// al.'s rule) to stay fast. Convergence to the optimum itself is tested in optimality.test.ts.
const coarse = { tolDual: Infinity };

/** N = L₀ + noise with ‖noise‖_F = level·‖L₀‖_F. */
function noisyPrior(L0: Matrix, level: number, rng: Rng): Matrix {
  const E = gaussian(L0.rows, L0.columns, rng);
  return L0.clone().add(E.mul((level * L0.norm()) / E.norm()));
}

test('pcpf with features spanning the true subspaces (+10 random directions) recovers where pcp fails', () => {
  const rng = new Rng(5);
  const P = candesProblem({ m: 100, rank: 10, corruption: 0.3, seed: 11 });
  const X = withRandomColumns(P.A, 10, rng);
  const Y = withRandomColumns(P.B, 10, rng);
  const plain = pcp(P.M, coarse);
  const feat = pcpf(P.M, X, Y);
  expect(relativeError(plain.L, P.L0)).toBeGreaterThan(0.1);
  expect(feat.converged).toBe(true);
  expect(relativeError(feat.L, P.L0)).toBeLessThan(1e-5);
  expect(feat.rank).toBe(10);
  expect(feat.H?.rows).toBe(20);
});

test('pcps with N = L₀ + 10% noise beats pcp (rank 20, 35% corruption) and beats N itself', () => {
  const rng = new Rng(6);
  const P = candesProblem({ m: 100, rank: 20, corruption: 0.35, seed: 12 });
  const N = noisyPrior(P.L0, 0.1, rng);
  const plain = relativeError(pcp(P.M, coarse).L, P.L0);
  const side = pcps(P.M, N, { alpha: 1, ...coarse });
  const err = relativeError(side.L, P.L0);
  expect(side.converged).toBe(true);
  expect(plain).toBeGreaterThan(0.3);
  expect(err).toBeLessThan(0.5 * plain);
  expect(err).toBeLessThan(relativeError(N, P.L0));
});

test('pcps minimises its objective: no feasible point tried does better', () => {
  // F(L, S) = ‖L‖* + α‖L − N‖* + λ‖S‖₁ with S = M − L (feasible); nuclear norms by ml-matrix's full SVD.
  const rng = new Rng(7);
  const P = candesProblem({ m: 50, rank: 4, corruption: 0.2, seed: 14 });
  const N = noisyPrior(P.L0, 0.2, rng);
  const alpha = 0.7;
  const lambda = 1 / Math.sqrt(50);
  const F = (L: Matrix) => nuclearNorm(L) + alpha * nuclearNorm(L.clone().sub(N)) + lambda * l1(P.M.clone().sub(L));
  const res = pcps(P.M, N, { alpha });
  const best = F(res.L);
  expect(relativeError(res.L.clone().add(res.S), P.M)).toBeLessThan(1e-6);
  for (const L of [P.L0, N, pcp(P.M, coarse).L, res.L.clone().mul(1.01), res.L.clone().add(gaussian(50, 50, rng).mul(1e-3))]) {
    expect(best).toBeLessThanOrEqual(F(L) + 1e-6 * best);
  }
});

test('pcpsf (prior and features) beats pcps with the prior alone', () => {
  const rng = new Rng(8);
  const P = candesProblem({ m: 100, rank: 20, corruption: 0.35, seed: 12 });
  const N = noisyPrior(P.L0, 0.1, rng);
  const X = withRandomColumns(P.A, 10, rng);
  const Y = withRandomColumns(P.B, 10, rng);
  const both = relativeError(pcpsf(P.M, N, X, Y, { alpha: 1, ...coarse }).L, P.L0);
  const prior = relativeError(pcps(P.M, N, { alpha: 1, ...coarse }).L, P.L0);
  expect(both).toBeLessThan(prior);
});

test('masked variants (PCPSM / PCPSFM) complete the hidden entries', () => {
  const rng = new Rng(10);
  const P = candesProblem({ m: 80, rank: 4, corruption: 0.1, seed: 15 });
  const mask = randomMask(80, 80, 0.2, rng);
  const X = withRandomColumns(P.A, 6, rng);
  const Y = withRandomColumns(P.B, 6, rng);
  const f = pcpf(P.M, X, Y, { mask });
  expect(relativeError(f.L, P.L0)).toBeLessThan(1e-5);
  // An exact prior: the α-term pulls L onto N, so the completion is exact too.
  const s = pcps(P.M, P.L0, { mask, alpha: 0.5 });
  expect(relativeError(s.L, P.L0)).toBeLessThan(1e-5);
  const sf = pcpsf(P.M, P.L0, X, Y, { mask, alpha: 0.5 });
  expect(relativeError(sf.L, P.L0)).toBeLessThan(1e-5);
});
