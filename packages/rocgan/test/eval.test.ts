import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRocGan, disposeRocGan, evaluateRocGan, imageMae, imageScores, memorySource, summarizeScores } from '../src/index.js';
import { golden, smoothImages, TINY } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('evaluation metrics', () => {
  it('SSIM equals the reference RGBSSIM, MAE is the true one (not the uint8 wrap-around), PSNR in dB', () => {
    const g = golden.imageMetrics;
    const a = Uint8Array.from(g.a);
    const b = Uint8Array.from(g.b);
    const s = imageScores(a, b, 16);
    expect(s.ssim).toBeCloseTo(g.ssim, 6);
    expect(s.mae).toBeCloseTo(g.mae, 10);
    expect(s.psnr).toBeCloseTo(g.psnr, 8);
    expect(Math.abs(s.mae - g.maeWrapped)).toBeGreaterThan(100); // the reference's formula gives 123.96 on this pair
    // Hand-computed: |10 − 250| and |250 − 10| are 240 each (uint8 subtraction would give 16 and 240).
    expect(imageMae(Uint8Array.of(10, 250), Uint8Array.of(250, 10))).toBe(240);
    expect(() => imageScores(a, b, 8)).toThrow('imageScores: expected 8×8×3 = 192 values, got 768 and 768');
  });

  it('mean and population std of the scores', () => {
    const s = summarizeScores([
      { ssim: 0.5, mae: 10, psnr: 20 },
      { ssim: 0.7, mae: 20, psnr: 30 },
    ]);
    expect(s.mean).toEqual({ ssim: 0.6, mae: 15, psnr: 25 });
    expect(s.std.ssim).toBeCloseTo(0.1, 12);
    expect(s.std.mae).toBe(5);
  });

  it('evaluateRocGan: a row per image, CSV, the same corruptions for every model, no tensors left', async () => {
    const net = createRocGan(TINY);
    const source = memorySource({ targets: smoothImages(5, 32), imageSize: 32 });
    const dir = await mkdtemp(join(tmpdir(), 'rocgan-eval-'));
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await evaluateRocGan(net, source, { batchSize: 2, csv: join(dir, 'scores.csv'), onBatch: (b) => seen.push(b.names.length) });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([2, 2, 1]);
    expect(r.rows.map((x) => x.name)).toEqual(['image-0000', 'image-0001', 'image-0002', 'image-0003', 'image-0004']);
    expect(r.mean.mae).toBeCloseTo(r.rows.reduce((s, x) => s + x.mae, 0) / 5, 10);
    const csv = (await readFile(join(dir, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('name,ssim,mae,psnr');
    expect(csv).toHaveLength(6);
    const again = await evaluateRocGan(net, source, { batchSize: 5 });
    expect(again.rows.map((x) => x.mae)).toEqual(r.rows.map((x) => x.mae));
    await expect(evaluateRocGan(net, memorySource({ targets: smoothImages(1, 16), imageSize: 16 }))).rejects.toThrow(
      'evaluateRocGan: the data has 16×16 images, the model expects 32×32',
    );
    disposeRocGan(net);
  });
});
