import { readFileSync } from 'node:fs';
import { initBackend } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { beforeAll, expect, test } from 'vitest';
import { pcp, pcpf, pcps, pcpsf, relativeError, type RpcaResult, type RpcaSideOptions } from '../src/index.js';
import { l1, nuclearNorm } from './helpers.js';

// Issue #12's problem (40×30, rank 3, 25 % ±4 corruptions, 15 % hidden, α = 0.7), where exact recovery does not
// hold, and the optimum of each convex program from two independent numpy solvers (consensus ADMM and
// Chambolle–Pock, agreeing to 1e-7): test/golden/make_optimum.py.
const g = JSON.parse(readFileSync(new URL('./golden/optimum.json', import.meta.url), 'utf8'));

beforeAll(async () => {
  await initBackend('cpu');
});

type Case = { name: string; prior: boolean; features: boolean; masked: boolean; lambda: number | 'observed' };
const cases: Case[] = Object.keys(g.cases).map((name) => ({
  name,
  prior: name.startsWith('pcps'),
  features: name.startsWith('pcpf') || name.startsWith('pcpsf'),
  masked: name.includes('Masked'),
  lambda: name.includes('ObservedLambda') ? 'observed' : g.lambda,
}));

function solve(c: Case, extra: RpcaSideOptions = {}): RpcaResult {
  const o: RpcaSideOptions = { alpha: g.alpha, lambda: c.lambda, ...(c.masked ? { mask: g.mask } : {}), ...extra };
  if (c.prior && c.features) return pcpsf(g.M, g.N, g.X, g.Y, o);
  if (c.prior) return pcps(g.M, g.N, o);
  if (c.features) return pcpf(g.M, g.X, g.Y, o);
  return pcp(g.M, o);
}

/** F(L) = ‖L‖* + α‖L − N‖* + λ‖P_Ω(M − L)‖₁ at the feasible S = M − L, by ml-matrix's full SVD. */
function objective(c: Case, L: Matrix): number {
  const lambda = c.lambda === 'observed' ? g.lambdaObserved : c.lambda;
  const R = new Matrix(g.M).sub(L);
  if (c.masked) R.mul(new Matrix(g.mask));
  return nuclearNorm(L) + (c.prior ? g.alpha * nuclearNorm(L.clone().sub(new Matrix(g.N))) : 0) + lambda * l1(R);
}

for (const c of cases) {
  test(`${c.name}: converges to the optimum of its convex program (objective to 1e-4 relative)`, () => {
    const best = g.cases[c.name].objective;
    const res = solve(c);
    expect(res.converged).toBe(true);
    expect(res.history.at(-1)).toBeLessThan(1e-7);
    expect(res.dualHistory.at(-1)).toBeLessThan(1e-4);
    expect(Math.abs(objective(c, res.L) - best) / best).toBeLessThan(1e-4);
    expect(Math.abs(res.objective - best) / best).toBeLessThan(1e-4);
    expect(relativeError(res.L, new Matrix(g.cases[c.name].L))).toBeLessThan(5e-3);
  });
}

test("λ = 'observed' is 1/√(ρ·max(m, n)) with ρ the observed fraction (Candès et al. 2011, §1.4)", () => {
  const rho = (g.mask as number[][]).flat().reduce((a, b) => a + b, 0) / (40 * 30);
  expect(g.lambdaObserved).toBeCloseTo(1 / Math.sqrt(rho * 40), 15);
  const c = cases.find((k) => k.name === 'pcpMasked')!;
  const a = solve({ ...c, lambda: 'observed' }, { maxIter: 20 });
  const b = solve({ ...c, lambda: 1 / Math.sqrt(rho * 40) }, { maxIter: 20 });
  expect(a.L.to2DArray()).toEqual(b.L.to2DArray());
  // Without a mask 'observed' is the default.
  expect(pcp(g.M, { lambda: 'observed', maxIter: 20 }).L.to2DArray()).toEqual(pcp(g.M, { maxIter: 20 }).L.to2DArray());
});

test('stopping on the primal residual alone (tolDual: Infinity, Lin et al.) stops off the optimum', () => {
  const c = cases.find((k) => k.name === 'pcpfMasked')!;
  const best = g.cases[c.name].objective;
  const primalOnly = solve(c, { tolDual: Infinity });
  const both = solve(c);
  expect(primalOnly.converged).toBe(true);
  expect(primalOnly.dualHistory.at(-1)).toBeGreaterThan(1e-2);
  expect((objective(c, primalOnly.L) - best) / best).toBeGreaterThan(1e-4);
  expect(both.iterations).toBeGreaterThan(primalOnly.iterations);
});

test("method 'admm' stops on both residuals too", () => {
  const c = cases.find((k) => k.name === 'pcpfMasked')!;
  const best = g.cases[c.name].objective;
  const res = solve(c, { method: 'admm' });
  expect(res.converged).toBe(true);
  expect(res.dualHistory.at(-1)).toBeLessThan(1e-4);
  expect(Math.abs(objective(c, res.L) - best) / best).toBeLessThan(1e-4);
  // A dual tolerance it cannot reach in 5 iterations keeps it running.
  expect(solve(c, { method: 'admm', maxIter: 5, tol: 1, tolDual: 1e-12 }).converged).toBe(false);
});
