/**
 * Malformed-input corpus of the solvers and the CLI: valid-but-degenerate matrices (constant, rank 1) that
 * must be solved, magnitudes whose norms under- or overflow, bad entries, every option's bad values, and bad
 * command lines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { describeMalformed, runCli, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { exits } from './helpers.js';
import { candesProblem, pcp, pcps, randomizedSvd, type RpcaResult } from '../src/index.js';
import { rpcaCliProgram } from '../src/cli-program.js';

const dir = mkdtempSync(join(tmpdir(), 'malformed-rpca-'));
beforeAll(async () => {
  await initBackend('cpu');
  mkdirSync(join(dir, 'white'));
  const white = { data: new Uint8Array(8 * 6).fill(255), width: 8, height: 6, channels: 1 };
  for (let j = 0; j < 24; j++) await writeImage(join(dir, 'white', `${String(j).padStart(2, '0')}.png`), white);
  writeFileSync(join(dir, 'hex.csv'), '1,2\n0x10,3\n');
  writeFileSync(join(dir, 'ok.csv'), '1,2\n3,4\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const filled = (m: number, n: number, f: (i: number, j: number) => number) => Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => f(i, j)));
const small = filled(6, 5, (i, j) => i + 2 * j);

/** The solver recovered M as L (S ≈ 0) and says so. */
const recovers = (M: number[][]) => (r: unknown) => {
  const res = r as RpcaResult;
  expect(res.converged).toBe(true);
  const scale = Math.max(...M.flat().map(Math.abs));
  M.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(res.L.get(i, j) - v)).toBeLessThan(1e-5 * scale)));
};

// Constant and rank-1 matrices with min(m, n) > 16 (the Lanczos path), which stopped the spectral norm early.
const degenerate: [string, number[][]][] = [
  ['constant 17×17 of ones', filled(17, 17, () => 1)],
  ['constant 24×30 of 0.5', filled(24, 30, () => 0.5)],
  ['constant 30×24 of −3', filled(30, 24, () => -3)],
  ['constant 48×60 of 1', filled(48, 60, () => 1)],
  ['rank-1 outer product 20×25', filled(20, 25, (i, j) => (i + 1) * (j % 3 === 0 ? 1 : 2))],
  ['rows of alternating sign 20×20', filled(20, 20, (i) => (i % 2 === 0 ? 1 : -1))],
  ['constant 20×20 of 1e-100', filled(20, 20, () => 1e-100)],
  ['constant 20×20 of 1e100', filled(20, 20, () => 1e100)],
];
const matrices: MalformedCase[] = [
  ...degenerate.map(([name, M]) => ({ name, run: () => pcp(M), ok: recovers(M) })),
  { name: 'all zeros', run: () => pcp(filled(20, 20, () => 0)), ok: (r: unknown) => expect((r as RpcaResult).L.norm()).toBe(0) },
  ...[1e-300, 1e-200, 1e-160, 1e-151, 1e160, 1e200, 1e300].map((v) => ({
    name: `entries of ${v}`,
    run: () => pcp(filled(20, 20, (i, j) => (i === j ? v : v / 2))),
    error: `M's largest entry is ${v}: outside [1e-150, 1e150]`,
  })),
  { name: 'prior N of 1e-300', run: () => pcps(small, filled(6, 5, () => 1e-300)), error: "N's largest entry is 1e-300" },
];

const bad = (v: unknown) => filled(3, 3, (i, j) => (i === 1 && j === 2 ? (v as number) : 1));
const entries: MalformedCase[] = [
  ...([[null, 'null'], ['1', "the string '1'"], ['0x10', "the string '0x10'"], [undefined, 'undefined'], [true, 'boolean'], [{}, 'object']] as const).map(([v, what]) => ({
    name: `entry ${String(v)}`,
    run: () => pcp(bad(v)),
    error: `M[1][2] is ${what}: entries must be finite numbers`,
  })),
  ...[NaN, Infinity, -Infinity].map((v) => ({ name: `entry ${v}`, run: () => pcp(bad(v)), error: `M[1][2] is ${v}: entries must be finite numbers` })),
  { name: '1-D array', run: () => pcp([1, 2, 3] as unknown as number[][]), error: 'M is 1-D' },
  { name: 'no rows', run: () => pcp([]), error: 'M is empty (0 rows)' },
  { name: 'no columns', run: () => pcp([[], []]), error: 'M is empty (0 columns)' },
  { name: 'ragged rows', run: () => pcp([[1, 2], [3]]), error: 'M row 1 has 1 entries but row 0 has 2' },
  { name: 'a string for M', run: () => pcp('1,2' as unknown as number[][]), error: 'M must be an ml-matrix Matrix or a number[][]' },
  { name: 'mask entry 2', run: () => pcp(small, { mask: filled(6, 5, (i) => (i === 0 ? 2 : 1)) }), error: 'mask[0][0] is 2: mask entries must be 0 or 1' },
  { name: 'mask all zeros', run: () => pcp(small, { mask: filled(6, 5, () => 0) }), error: 'mask has no observed entry' },
  { name: 'mask of another shape', run: () => pcp(small, { mask: filled(5, 6, () => 1) }), error: 'mask is 5×6 but M is 6×5' },
  { name: 'mask with null', run: () => pcp(small, { mask: filled(6, 5, (i) => (i === 2 ? (null as unknown as number) : 1)) }), error: 'mask[2][0] is null' },
];

const optionCases: [string, Record<string, unknown>, string][] = [
  ["method 'bogus'", { method: 'bogus' }, "method must be 'ialm' or 'admm' (got bogus)"],
  ['method 1', { method: 1 }, "method must be 'ialm' or 'admm' (got 1)"],
  ["svd 'bogus'", { svd: 'bogus' }, "svd must be one of 'auto', 'partial', 'full' (got bogus)"],
  ['muMaxFactor 0', { muMaxFactor: 0 }, 'muMaxFactor must be a finite number ≥ 1 (got 0)'],
  ['muMaxFactor NaN', { muMaxFactor: NaN }, 'muMaxFactor must be a finite number ≥ 1 (got NaN)'],
  ['muMaxFactor 0.5', { muMaxFactor: 0.5 }, 'muMaxFactor must be a finite number ≥ 1'],
  ['muMaxFactor Infinity', { muMaxFactor: Infinity }, 'muMaxFactor must be a finite number ≥ 1 (got Infinity)'],
  ['mu0 Infinity', { mu0: Infinity }, 'mu0 must be a finite number > 0 (got Infinity)'],
  ['mu0 0', { mu0: 0 }, 'mu0 must be a finite number > 0 (got 0)'],
  ['mu0 −1', { mu0: -1 }, 'mu0 must be a finite number > 0 (got -1)'],
  ['mu0 NaN', { mu0: NaN }, 'mu0 must be a finite number > 0 (got NaN)'],
  ["mu0 '1'", { mu0: '1' }, 'mu0 must be a finite number > 0 (got 1)'],
  ['rho 0.5', { rho: 0.5 }, 'rho must be a finite number ≥ 1 (got 0.5)'],
  ['rho NaN', { rho: NaN }, 'rho must be a finite number ≥ 1 (got NaN)'],
  ['rho Infinity', { rho: Infinity }, 'rho must be a finite number ≥ 1 (got Infinity)'],
  ['lambda −1', { lambda: -1 }, "lambda must be a positive number or 'observed' (got -1)"],
  ['lambda 0', { lambda: 0 }, "lambda must be a positive number or 'observed' (got 0)"],
  ["lambda 'bogus'", { lambda: 'bogus' }, "lambda must be a positive number or 'observed' (got bogus)"],
  ['lambda Infinity', { lambda: Infinity }, "lambda must be a positive number or 'observed' (got Infinity)"],
  ['alpha −1', { alpha: -1 }, 'alpha must be a non-negative number (got -1)'],
  ['alpha NaN', { alpha: NaN }, 'alpha must be a non-negative number (got NaN)'],
  ['seed 1.5', { seed: 1.5 }, 'seed must be an integer (got 1.5)'],
  ["onIteration 'x'", { onIteration: 'x' }, 'onIteration must be a function (got string)'],
  ['tol 0', { tol: 0 }, 'tol must be a positive number (got 0)'],
  ['tolDual −1', { tolDual: -1 }, 'tolDual must be a positive number (got -1)'],
  ['maxIter 0', { maxIter: 0 }, 'maxIter must be a positive integer (got 0)'],
  ['maxIter 1.5', { maxIter: 1.5 }, 'maxIter must be a positive integer (got 1.5)'],
];
const options: MalformedCase[] = [
  ...optionCases.map(([name, o, error]) => ({ name, run: () => pcps(small, small, o), error })),
  ...(['auto', 'partial', 'full'] as const).map((svd) => ({ name: `svd '${svd}' on a constant 20×20`, run: () => pcp(filled(20, 20, () => 2), { svd }), ok: recovers(filled(20, 20, () => 2)) })),
  { name: "method 'admm' on a constant 20×20", run: () => pcp(filled(20, 20, () => 2), { method: 'admm', maxIter: 5000 }), ok: recovers(filled(20, 20, () => 2)) },
];

const helpers: MalformedCase[] = [
  ...[-50, -1, 1.5, NaN].map((oversample) => ({ name: `randomizedSvd oversample ${oversample}`, run: () => randomizedSvd(small, 2, { oversample }), error: `oversample must be an integer ≥ 0 (got ${oversample})` })),
  ...[-1, 0.5].map((power) => ({ name: `randomizedSvd power ${power}`, run: () => randomizedSvd(small, 2, { power }), error: `power must be an integer ≥ 0 (got ${power})` })),
  ...[0, 6, 1.5, NaN].map((k) => ({ name: `randomizedSvd k ${k}`, run: () => randomizedSvd(small, k), error: `k must be an integer in [1, 5] (got ${k})` })),
  { name: 'randomizedSvd seed 0.5', run: () => randomizedSvd(small, 2, { seed: 0.5 }), error: 'seed must be an integer (got 0.5)' },
  { name: 'randomizedSvd oversample 0 works', run: () => randomizedSvd(small, 2, { oversample: 0 }), ok: (r) => expect((r as { s: number[] }).s).toHaveLength(2) },
  ...([['m', { m: 10.5, rank: 2, corruption: 0.1 }], ['m', { m: 0, rank: 2, corruption: 0.1 }], ['n', { m: 10, n: -3, rank: 2, corruption: 0.1 }], ['n', { m: 10, n: 2.5, rank: 2, corruption: 0.1 }], ['rank', { m: 10, rank: 0, corruption: 0.1 }], ['rank', { m: 10, rank: NaN, corruption: 0.1 }]] as const).map(([what, o]) => ({
    name: `candesProblem ${what} ${JSON.stringify(o)}`,
    run: () => candesProblem(o),
    error: `candesProblem: ${what} must be a positive integer`,
  })),
  { name: 'candesProblem rank above min(m, n)', run: () => candesProblem({ m: 10, n: 4, rank: 5, corruption: 0 }), error: 'rank 5 is more than min(m, n) = 4' },
  ...[-0.1, 1.5, NaN].map((corruption) => ({ name: `candesProblem corruption ${corruption}`, run: () => candesProblem({ m: 10, rank: 2, corruption }), error: `corruption must be a fraction in [0, 1] (got ${corruption})` })),
];

const cli = (...args: string[]) => runCli(rpcaCliProgram(), ['decompose', ...args]);
const cliCases: MalformedCase[] = [
  {
    name: '24 identical white images',
    run: () => cli('--input', join(dir, 'white'), '--out', join(dir, 'white-out'), '--json'),
    ok: (r) => {
      const run = r as { code: number; stdout: string; stderr: string };
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ converged: true, rank: 1 });
    },
  },
  { name: 'CSV with a hex field', run: () => cli('--input', join(dir, 'hex.csv'), '--out', join(dir, 'o')), ok: exits(1, "hex.csv:2: field 1 ('0x10') is not a finite number") },
  ...[['--max-iter', '0x10'], ['--max-iter', '0'], ['--tol', 'abc'], ['--tol', '-1'], ['--tol-dual', 'Infinity'], ['--lambda', '-1'], ['--lambda', '0b1'], ['--alpha', 'NaN']].map(([flag, value]) => ({
    name: `${flag} ${value}`,
    run: () => cli('--input', join(dir, 'ok.csv'), '--out', join(dir, 'o'), flag!, value!),
    ok: exits(2, `'${value}'`),
  })),
  { name: '--method bogus', run: () => cli('--input', join(dir, 'ok.csv'), '--out', join(dir, 'o'), '--method', 'bogus'), ok: exits(2, "'bogus' is invalid") },
  { name: '--input missing', run: () => cli('--input', join(dir, 'absent.csv'), '--out', join(dir, 'o')), ok: exits(2, 'absent.csv') },
  { name: '--out missing', run: () => cli('--input', join(dir, 'ok.csv')), ok: exits(2, "required option '-o, --out <path>' not specified") },
  { name: 'pcps without --prior', run: () => cli('--input', join(dir, 'ok.csv'), '--out', join(dir, 'o'), '--method', 'pcps'), ok: exits(2, '--method pcps needs --prior') },
];

describeMalformed('rpca matrices', matrices);
describeMalformed('rpca entries', entries);
describeMalformed('rpca options', options);
describeMalformed('rpca helpers', helpers);
describeMalformed('rpca cli', cliCases);
