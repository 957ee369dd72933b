import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { candesProblem, relativeError } from '../src/index.js';
import { rpcaCliProgram } from '../src/cli-program.js';
import { readImageColumns, readMatrixCsv, writeMatrixCsv } from '../src/data/matrix-io.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const dir = mkdtempSync(join(tmpdir(), 'rpca-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => rpcaCliProgram().parseAsync(['node', 'facelab-rpca', 'decompose', ...args]);

test('decompose a CSV matrix: L.csv recovers L₀', async () => {
  const P = candesProblem({ m: 50, rank: 3, corruption: 0.05, seed: 31 });
  await writeMatrixCsv(join(dir, 'M.csv'), P.M);
  await run('--input', join(dir, 'M.csv'), '--out', join(dir, 'csv-out'));
  const L = await readMatrixCsv(join(dir, 'csv-out', 'L.csv'));
  const S = await readMatrixCsv(join(dir, 'csv-out', 'S.csv'));
  expect(relativeError(L, P.L0)).toBeLessThan(1e-5);
  expect(relativeError(S, P.S0)).toBeLessThan(1e-5);
});

test('decompose a folder of images: L and S written back as images of the same size', async () => {
  // Rank-1 images (one pattern scaled per image) with a few corrupted pixels.
  const src = join(dir, 'faces');
  mkdirSync(src);
  for (let k = 0; k < 10; k++) {
    const data = new Uint8Array(16 * 12);
    for (let i = 0; i < data.length; i++) data[i] = Math.round((0.2 + 0.05 * k) * (100 + (i % 37)) + (i === 7 * k + 3 ? 60 : 0));
    await writeImage(join(src, `img${k}.png`), { data, width: 16, height: 12, channels: 1 });
  }
  await run('--input', src, '--out', join(dir, 'img-out'), '--method', 'pcp');
  expect(readdirSync(join(dir, 'img-out', 'L')).sort()).toEqual(readdirSync(src).sort());
  const L = await readImageColumns(join(dir, 'img-out', 'L'));
  expect(L.images).toMatchObject({ width: 16, height: 12, channels: 1 });
  expect(L.M.columns).toBe(10);
});

test('--mask and --prior: pcps completes hidden entries of a CSV matrix', async () => {
  const P = candesProblem({ m: 40, rank: 2, corruption: 0.05, seed: 32 });
  const mask = P.M.clone().apply(function (this: typeof P.M, i: number, j: number) {
    this.set(i, j, (i * 7 + j * 3) % 10 === 0 ? 0 : 1);
  });
  await writeMatrixCsv(join(dir, 'M40.csv'), P.M);
  await writeMatrixCsv(join(dir, 'mask40.csv'), mask);
  await writeMatrixCsv(join(dir, 'N40.csv'), P.L0);
  await run('--input', join(dir, 'M40.csv'), '--out', join(dir, 'pcps-out'), '--method', 'pcps', '--mask', join(dir, 'mask40.csv'), '--prior', join(dir, 'N40.csv'), '--alpha', '0.5');
  const L = await readMatrixCsv(join(dir, 'pcps-out', 'L.csv'));
  expect(relativeError(L, P.L0)).toBeLessThan(1e-5);
});

test('bad arguments fail clearly: one line, exit 2', async () => {
  const missingPrior = await runCli(rpcaCliProgram(), ['decompose', '--input', join(dir, 'M.csv'), '--out', dir, '--method', 'pcps']);
  expect(missingPrior).toMatchObject({ code: 2, stderr: 'facelab-rpca: --method pcps needs --prior <file.csv | folder>\n' });
  const method = await runCli(rpcaCliProgram(), ['decompose', '--input', join(dir, 'M.csv'), '--out', dir, '--method', 'svd']);
  expect(method.code).toBe(2);
  expect(method.stderr).toMatch(/^facelab-rpca: option '--method <name>' argument 'svd' is invalid\. Allowed choices are pcp, pcpf, pcps, pcpsf\.\n$/);
});

test('--json prints the summary as JSON', async () => {
  const run = await runCli(rpcaCliProgram(), ['decompose', '--input', join(dir, 'M.csv'), '--out', join(dir, 'json-out'), '--json']);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ method: 'pcp', converged: true, out: join(dir, 'json-out') });
});

describeCliConventions(rpcaCliProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['decompose'],
  missingFile: { args: ['decompose', '--input', join(dir, 'nope.csv'), '--out', dir], path: join(dir, 'nope.csv') },
  notANumber: { args: ['decompose', '--input', dir, '--out', dir, '--max-iter', 'abc'], flag: '--max-iter' },
});
