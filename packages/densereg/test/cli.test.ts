/**
 * The CLI through buildProgram(): --help names the commands; train → evaluate (CSV) → predict (16-bit U/V
 * PNGs and .pts) on a tiny synthetic folder; a bad option value fails naming the option.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { initBackend } from '@facelab/core-tensor';
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

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const program = buildProgram();
    for (const c of [program, ...program.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
    await program.parseAsync(['node', 'facelab-densereg', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return lines;
}

it('--help lists train, evaluate and predict', () => {
  const help = buildProgram().helpInformation();
  for (const c of ['train', 'evaluate', 'predict']) expect(help).toContain(c);
});

it('train → evaluate → predict on a synthetic folder', async () => {
  const model = join(dir, 'model');
  const [trained] = await run(
    '--backend',
    'wasm',
    '--json',
    'train',
    join(dir, 'data'),
    '--out',
    model,
    '--steps',
    '2',
    '--batch-size',
    '2',
    '--no-progress'
  );
  expect(JSON.parse(trained!)).toMatchObject({ steps: 2, out: model });
  const csv = join(dir, 'eval.csv');
  const [evaluated] = await run('--backend', 'wasm', '--json', 'evaluate', model, join(dir, 'data'), '--csv', csv);
  const e = JSON.parse(evaluated!) as { images: number; iou: number };
  expect(e.images).toBe(4);
  expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe('image,uv_error,foreground_iou,nme');
  const out = join(dir, 'pred');
  await run('--backend', 'wasm', '--json', 'predict', model, join(dir, 'data', 'synth-1.png'), '--out', out);
  const files = await readdir(out);
  expect(files).toContain('synth-1.u.png');
  expect(files).toContain('synth-1.v.png');
  const u = await readUVPng(join(out, 'synth-1.u.png'));
  expect([u.width, u.height]).toEqual([32, 32]);
}, 120_000);

it('a bad option value fails naming the option', async () => {
  await expect(run('train', join(dir, 'data'), '--out', join(dir, 'x'), '--head', 'soft')).rejects.toThrow(
    /--head must be one of quantized, direct, got 'soft'/
  );
});
