import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demo } from '../demo/index.js';
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

test('face completion demo: a prior pays, every completion beats the input; PNG grid written; no tensor leak', async () => {
  const before = tf.memory().numTensors;
  const out = await demo({ outDir: dir });
  expect(tf.memory().numTensors).toBe(before);
  const psnr = Object.fromEntries(out.rows.map((r) => [r.item, Number(/PSNR ([\d.]+)/.exec(r.value)![1])]));
  expect(psnr['pcp']).toBeGreaterThan(psnr['input (hidden = 0)']! + 5);
  expect(psnr['pcps']).toBeGreaterThan(psnr['pcp']!);
  expect(psnr['pcpsf']).toBeGreaterThan(psnr['pcp']!);
  expect(psnr['pcps']).toBeGreaterThan(psnr['prior N (training-face fit)']!);
  expect(out.artifacts).toHaveLength(1);
  expect(existsSync(out.artifacts[0]!)).toBe(true);
  expect(readFileSync(out.artifacts[0]!).subarray(1, 4).toString()).toBe('PNG');
});
