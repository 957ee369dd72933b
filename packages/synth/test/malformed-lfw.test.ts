/**
 * Malformed invocations of `facelab-synth lfw` and writeLfwDataset: more pairs than the identities and images
 * allow, bad counts; and, for every seed tried, a pairs.txt without a repeated pair.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { readPairs } from '@facelab/data';
import { describeMalformed, runCli, type CliRun, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { writeLfwDataset } from '../src/index.js';
import { synthProgram } from '../src/program.js';

let dir = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-lfw-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
const lfw = (...args: string[]) => runCli(synthProgram(), ['lfw', '--out', join(dir, `cli${n++}`), '--size', '16', ...args]);
const fails = (what: string) => (r: unknown) => {
  const run = r as CliRun;
  expect(run.code, run.stderr).toBeGreaterThan(0);
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toContain(what);
};

/** Every pair of the file, unordered, once. */
const noRepeats = async (path: unknown) => {
  const { pairs } = await readPairs(path as string);
  const keys = pairs.map((p) => [p.a.path, p.b.path].sort().join('|'));
  expect(new Set(keys).size).toBe(keys.length);
};

const cases: MalformedCase[] = [
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((seed) => ({
    name: `seed ${seed}: 2 identities × 3 images, all 6 same pairs drawn once`,
    run: () => writeLfwDataset({ out: join(dir, `s${seed}`), size: 16, identities: 2, imagesPerIdentity: 3, pairsPerFold: 3, folds: 2, seed }),
    ok: noRepeats,
  })),
  { name: 'default sizes, 10 seeds of pairs', run: () => writeLfwDataset({ out: join(dir, 'default'), size: 16, folds: 3, seed: 9 }), ok: noRepeats },
  { name: 'more same pairs than exist', run: () => writeLfwDataset({ out: join(dir, 'x'), size: 16, identities: 2, imagesPerIdentity: 2, pairsPerFold: 3 }), error: '1 folds × pairsPerFold 3 need 3 distinct same-identity pairs, but 2 identities × 2 images have 2' },
  { name: 'more same pairs than exist over 3 folds', run: () => writeLfwDataset({ out: join(dir, 'x'), size: 16, identities: 3, imagesPerIdentity: 3, pairsPerFold: 4, folds: 3 }), error: '3 folds × pairsPerFold 4 need 12 distinct same-identity pairs, but 3 identities × 3 images have 9' },
  { name: 'cli: too many pairs', run: () => lfw('--identities', '2', '--images-per-identity', '2', '--pairs-per-fold', '5'), ok: fails('need 5 distinct same-identity pairs') },
  { name: 'cli: 1 identity', run: () => lfw('--identities', '1'), ok: fails('LFW pairs need at least 2 identities with 2 images each, got 1 × 4') },
  { name: 'cli: 1 image per identity', run: () => lfw('--images-per-identity', '1'), ok: fails('got 10 × 1') },
  { name: 'cli: --folds 0', run: () => lfw('--folds', '0'), ok: fails('folds must be a positive integer, got 0') },
  { name: 'cli: --pairs-per-fold 0x5', run: () => lfw('--pairs-per-fold', '0x5'), ok: fails("'0x5'") },
  { name: 'cli: --identities -2', run: () => lfw('--identities', '-2'), ok: fails("'-2'") },
  { name: 'cli: --identities 1e1', run: () => lfw('--identities', '1e1', '--images-per-identity', '2', '--pairs-per-fold', '1'), ok: (r) => expect((r as CliRun).code, (r as CliRun).stderr).toBe(0) },
];

describeMalformed('synth lfw pairs', cases);
