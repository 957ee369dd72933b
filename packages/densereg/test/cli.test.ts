/**
 * The CLI through buildProgram(): --help names the commands; train → evaluate (CSV) → predict (16-bit U/V
 * PNGs and .pts) on a tiny synthetic folder; a bad option value fails naming the option.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '@facelab/core-tensor';
import { runCli } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';
import { readUVPng, writeDenseRegSample } from '../src/index.js';
import { synthSamples } from '../demo/synthetic.js';

let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'densereg-cli-'));
  for (const s of synthSamples(1, 4, { size: 32 })) await writeDenseRegSample(join(dir, 'data'), s);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the program in-process; resolves to its stdout, rejects with its error line. */
async function run(...args: string[]): Promise<string> {
  const r = await runCli(buildProgram(), args);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

it('--help lists train, evaluate and predict', () => {
  const help = buildProgram().helpInformation();
  for (const c of ['train', 'evaluate', 'predict']) expect(help).toContain(c);
});

it('train → evaluate → predict on a synthetic folder', async () => {
  const model = join(dir, 'model');
  const trained = await run('train', join(dir, 'data'), '--out', model, '--steps', '2', '--batch-size', '2', '--no-progress', '--backend', 'wasm', '--json');
  expect(JSON.parse(trained)).toMatchObject({ steps: 2, out: model });
  const csv = join(dir, 'eval.csv');
  const evaluated = await run('evaluate', model, join(dir, 'data'), '--csv', csv, '--backend', 'wasm', '--json');
  const e = JSON.parse(evaluated) as { images: number; iou: number };
  expect(e.images).toBe(4);
  expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe('image,uv_error,foreground_iou,nme');
  const out = join(dir, 'pred');
  await run('predict', model, join(dir, 'data', 'synth-1.png'), '--out', out, '--backend', 'wasm', '--json');
  const files = await readdir(out);
  expect(files).toContain('synth-1.u.png');
  expect(files).toContain('synth-1.v.png');
  const u = await readUVPng(join(out, 'synth-1.u.png'));
  expect([u.width, u.height]).toEqual([32, 32]);
}, 120_000);

it('a bad option value fails naming the option', async () => {
  await expect(run('train', join(dir, 'data'), '--out', join(dir, 'x'), '--head', 'soft')).rejects.toThrow(
    /option '--head <head>' argument 'soft' is invalid\. Allowed choices are quantized, direct/
  );
});
