import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRocGan, disposeRocGan, fitRocGan, memorySource, type RocGan } from '../src/index.js';
import { smoothImages, TINY } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const data = memorySource({ targets: smoothImages(8, 32), imageSize: 32 });
const common = { data, batchSize: 4, progress: false } as const;
const weightsOf = (net: RocGan) =>
  [net.enc, net.encAe!, net.dec, net.dis, net.ema.enc, net.ema.dec].flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));

describe('fitRocGan', () => {
  it('runs D then G steps with every loss term, leaks no tensor, is deterministic, and resumes exactly', async () => {
    const before = tf.memory().numTensors;
    const a = createRocGan(TINY);
    const ra = await fitRocGan({ ...common, net: a, steps: 4 });
    const terms = Object.keys(ra.result.records[0]!.metrics).sort();
    expect(terms).toEqual(['d/adversarial', 'd/loss', 'g/adversarial', 'g/content', 'g/latent', 'g/projection', 'g/reconstruction']);
    const r0 = ra.result.records[0]!;
    // L_G = adv + 100·content + 100·rec + 20·latent + 100·projection (the defaults).
    const m = r0.metrics;
    expect(r0.loss).toBeCloseTo(
      m['g/adversarial']! + 100 * (m['g/content']! + m['g/reconstruction']! + m['g/projection']!) + 20 * m['g/latent']!,
      3,
    );
    const b = createRocGan(TINY);
    await fitRocGan({ ...common, net: b, steps: 4 });
    expect(weightsOf(b)).toEqual(weightsOf(a));

    // Killed after step 2 (checkpoint every 2), rebuilt and resumed to 4: the same weights, EMA and D included.
    const dir = await mkdtemp(join(tmpdir(), 'rocgan-train-'));
    const c = createRocGan(TINY);
    const part = await fitRocGan({
      ...common,
      net: c,
      steps: 4,
      checkpoint: { dir, every: 2 },
      callbacks: { onStepEnd: (r, control) => (r.step === 2 ? control.stop() : undefined) },
    });
    expect(part.result.step).toBe(2);
    disposeRocGan(c);
    const d = createRocGan(TINY);
    const resumed = await fitRocGan({ ...common, net: d, steps: 4, checkpoint: { dir, every: 2 }, resume: true });
    expect(resumed.result.records[0]!.step).toBe(3);
    expect(weightsOf(d)).toEqual(weightsOf(a));
    [a, b, d].forEach(disposeRocGan);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a training step leaves the tensor count unchanged (skips with noise included)', async () => {
    const net = createRocGan({ ...TINY, skips: true });
    const before = tf.memory().numTensors;
    await fitRocGan({ ...common, net, steps: 1 });
    expect(tf.memory().numTensors).toBe(before);
    disposeRocGan(net);
  });

  it('trains the cGAN baseline through the same path (no AE terms); a RoCGAN checkpoint is refused by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rocgan-ckpt-'));
    const roc = createRocGan(TINY);
    await fitRocGan({ ...common, net: roc, steps: 1, checkpoint: { dir, every: 1 } });
    disposeRocGan(roc);
    const cgan = createRocGan({ ...TINY, variant: 'cgan' });
    await expect(fitRocGan({ ...common, net: cgan, steps: 2, checkpoint: { dir, every: 1 }, resume: true })).rejects.toThrow(
      `${join(dir, 'rocgan-model.json')}: the checkpoints here are of another model ({"variant":"rocgan"`,
    );
    // Without the model file (e.g. checkpoints copied alone), the trainer refuses mismatched weights by file and name.
    await rm(join(dir, 'rocgan-model.json'));
    const other = createRocGan({ ...TINY, channels: [8, 8, 16, 32] });
    await expect(fitRocGan({ ...common, net: other, steps: 2, checkpoint: { dir, every: 1 }, resume: true })).rejects.toThrow(
      /checkpoint '.*ckpt-0+1\.flckpt': weight \d+ of model 'enc' \('enc_conv4\/kernel'\) has shape/,
    );
    const r = await fitRocGan({ ...common, net: cgan, steps: 2 });
    expect(Object.keys(r.result.records[1]!.metrics).sort()).toEqual([
      'd/adversarial',
      'd/loss',
      'g/adversarial',
      'g/content',
      'g/projection',
    ]);
    await expect(fitRocGan({ ...common, net: cgan, steps: 0 })).rejects.toThrow('fitRocGan: steps must be a positive integer, got 0');
    await expect(
      fitRocGan({ ...common, data: memorySource({ targets: smoothImages(1, 16), imageSize: 16 }), net: cgan, steps: 1 }),
    ).rejects.toThrow('fitRocGan: the data has 16×16 images, the model expects 32×32');
    [cgan, other].forEach(disposeRocGan);
  });
});
