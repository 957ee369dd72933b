/**
 * The network and its training: output sizes equal any (non-square) input size; ResNet-50 trunk parameters
 * equal core-tensor's ResNet-50 (dilation adds none) plus the heads by hand; on wasm a training step leaks
 * no tensors, the same seed gives the same weights, an interrupted run resumed from its checkpoint equals an
 * uninterrupted one, and predictUV leaks nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, resnet50Features, tf } from '@facelab/core-tensor';
import { createDenseRegNet, fitDenseReg, predictUV } from '../src/index.js';
import { synthSamples } from '../demo/synthetic.js';

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 0), 1), 0);
const tiny = { trunk: 'small' as const, smallWidths: [4, 8, 8, 8] as const };

let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'densereg-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createDenseRegNet', () => {
  it('outputs the input size (non-square) with 2(2K + 1) channels, or 4 for the direct head', () => {
    const x = tf.zeros([2, 45, 37, 3]);
    for (const [head, channels] of [
      ['quantized', 42],
      ['direct', 4],
    ] as const) {
      const m = createDenseRegNet({ ...tiny, head, seed: 1 });
      const y = m.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 45, 37, channels]);
      y.dispose();
      m.dispose();
    }
    x.dispose();
  });

  it('ResNet-50 trunk: core-tensor ResNet-50 parameters plus heads 2·(2048·11 + 11) + 2·(2048·10 + 10)', () => {
    const m = createDenseRegNet({ trunk: 'resnet50', seed: 1 });
    const input = tf.input({ shape: [64, 64, 3] });
    const ref = tf.model({ inputs: input, outputs: resnet50Features(input, { pooling: 'none', name: 'r' }) });
    expect(trainable(m)).toBe(trainable(ref) + 2 * (2048 * 11 + 11) + 2 * (2048 * 10 + 10));
    const dilated = m.layers.filter((l) => l.getClassName() === 'FacelabDilatedConv2D');
    expect(dilated.length).toBe(6 + 3); // res4's six and res5's three 3×3 convolutions
    m.dispose();
    ref.dispose();
  });

  it('rejects unknown trunks and heads', () => {
    expect(() => createDenseRegNet({ trunk: 'vgg' as never })).toThrow(/trunk must be 'small', 'resnet50' or 'resnet101', got 'vgg'/);
    expect(() => createDenseRegNet({ head: 'soft' as never })).toThrow(/head must be 'quantized' or 'direct'/);
  });
});

describe('fitDenseReg on wasm', () => {
  const samples = synthSamples(1, 6, { size: 32 });
  const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

  it('a training step leaves tf.memory().numTensors unchanged; the same seed gives the same weights', async () => {
    const a = createDenseRegNet({ ...tiny, seed: 2 });
    const b = createDenseRegNet({ ...tiny, seed: 2 });
    await fitDenseReg({ model: a, samples, steps: 1, batchSize: 2, seed: 5 });
    const before = tf.memory().numTensors;
    await fitDenseReg({ model: a, samples, steps: 2, batchSize: 2, seed: 5 });
    const after = tf.memory().numTensors;
    await fitDenseReg({ model: b, samples, steps: 1, batchSize: 2, seed: 5 });
    await fitDenseReg({ model: b, samples, steps: 2, batchSize: 2, seed: 5 });
    expect(weights(a)).toEqual(weights(b));
    expect(after).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('an interrupted run resumed from its checkpoint equals an uninterrupted one', async () => {
    const full = createDenseRegNet({ ...tiny, seed: 3 });
    await fitDenseReg({ model: full, samples, steps: 4, batchSize: 2, seed: 9 });
    const ck = join(dir, 'ck');
    const first = createDenseRegNet({ ...tiny, seed: 3 });
    await fitDenseReg({ model: first, samples, steps: 2, batchSize: 2, seed: 9, checkpoint: { dir: ck, every: 2 } });
    const resumed = createDenseRegNet({ ...tiny, seed: 3 });
    await fitDenseReg({ model: resumed, samples, steps: 4, batchSize: 2, seed: 9, checkpoint: { dir: ck, every: 2 }, resume: true });
    expect(weights(resumed)).toEqual(weights(full));
    [full, first, resumed].forEach((m) => m.dispose());
  });

  it('predictUV leaks nothing and returns maps with −1 or values near [0, 1]', () => {
    const m = createDenseRegNet({ ...tiny, seed: 4 });
    const before = tf.memory().numTensors;
    const maps = predictUV(m, samples.slice(0, 3), { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(maps.map((p) => [p.width, p.height])).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
    m.dispose();
  });
});
