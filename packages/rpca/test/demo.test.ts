import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demo } from '../demo/index.js';
import { UV_DEMO_CONFIG, type UvDemoConfig } from '../demo/uv.js';
import { scoreColumns } from '../src/eval/face-completion.js';

const dir = mkdtempSync(join(tmpdir(), 'rpca-demo-'));
beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('scoreColumns: PSNR of a known error (hand-computed)', () => {
  // Every pixel off by 0.1 → MSE 0.01 → PSNR = 10·log10(1/0.01) = 20 dB; identical images → SSIM 1.
  const truth = Matrix.zeros(256, 2).add(0.5);
  const s = scoreColumns(truth.clone().add(0.1), truth, 16);
  expect(s.psnr).toBeCloseTo(20, 10);
  expect(scoreColumns(truth, truth, 16).ssim).toBeCloseTo(1, 12);
});

/** The UV experiment at toy scale (2 clips, a few training steps): the pipeline, not its numbers. */
const TINY_UV: UvDemoConfig = {
  ...UV_DEMO_CONFIG,
  data: { ...UV_DEMO_CONFIG.data, frames: 8, heldOut: 2, clips: 2 },
  gan: { ...UV_DEMO_CONFIG.gan, faces: 16, steps: 2, batchSize: 4 },
  subspaceRank: 8,
  recognition: { ...UV_DEMO_CONFIG.recognition, identities: 4, perIdentity: 2, steps: 2, batchSize: 4 },
};

test('face completion demo: a prior pays, every completion beats the input; PNG grids written; no tensor leak', async () => {
  const before = tf.memory().numTensors;
  const out = await demo({ outDir: dir, uv: TINY_UV });
  expect(tf.memory().numTensors).toBe(before);
  const psnr = Object.fromEntries(out.rows.filter((r) => !r.item.startsWith('UV')).map((r) => [r.item, Number(/PSNR ([\d.]+)/.exec(r.value)![1])]));
  expect(psnr['pcp']).toBeGreaterThan(psnr['input (hidden = 0)']! + 5);
  expect(psnr['pcps']).toBeGreaterThan(psnr['pcp']!);
  expect(psnr['pcpsf']).toBeGreaterThan(psnr['pcp']!);
  expect(psnr['pcps']).toBeGreaterThan(psnr['prior N (training-face fit)']!);
  expect(out.artifacts).toHaveLength(2);
  for (const a of out.artifacts) expect(readFileSync(a).subarray(1, 4).toString()).toBe('PNG');
  // UV rows: every method scored on the missing texels; pcp's completion beats the zero-filled input there.
  const uv = Object.fromEntries(out.rows.filter((r) => r.item.startsWith('UV ') && r.value.includes('PSNR')).map((r) => [r.item.slice(3), r.value]));
  expect(Object.keys(uv)).toEqual(['input', 'N (RoCGAN)', 'pcp', 'pcps', 'pcpsf']);
  const uvPsnr = (k: string) => Number(/PSNR (-?[\d.]+)/.exec(uv[k]!)![1]);
  expect(uvPsnr('pcp')).toBeGreaterThan(uvPsnr('input'));
  for (const v of Object.values(uv)) expect(v).toMatch(/verification \d+\.\d ± \d+\.\d %/);
});
