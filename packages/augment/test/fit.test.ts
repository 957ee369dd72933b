import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { createAugmentAutoencoder } from '../src/model/autoencoder.js';
import { fitAugment, type FitAugmentOptions } from '../src/train/fit.js';
import { leastSquaresAffine } from '../src/linalg/affine.js';
import { pairBatch } from '../src/data/batch.js';
import { framePairs } from '../src/data/sequences.js';
import { sinusoidSequences } from './helpers.js';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'augment-fit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const set = sinusoidSequences([0, 5], 8);
const net = () => createAugmentAutoencoder({ imageShape: [8, 16, 1], latentDim: 4, filters: [4, 4], seed: 2 });
const allWeights = (n: ReturnType<typeof net>) =>
  [...n.encoder.getWeights(), ...n.decoder.getWeights(), ...n.dynamics.model.getWeights()].map((w) => Array.from(w.dataSync()));

describe('fitAugment', () => {
  it('lowers the loss, trains A jointly, and leaves no tensor behind', async () => {
    const n = net();
    const before = tf.memory().numTensors;
    const result = await fitAugment(n, set, { steps: 20, batchSize: 8, learningRate: 3e-3 });
    expect(tf.memory().numTensors).toBe(before);
    const first = result.records.slice(0, 5).reduce((a, r) => a + r.loss, 0);
    const last = result.records.slice(-5).reduce((a, r) => a + r.loss, 0);
    expect(last).toBeLessThan(first);
    expect(result.records[0]!.metrics).toHaveProperty('transition');
    expect(Array.from(n.dynamics.matrix())).not.toEqual(Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)));
    n.dispose();
  });

  it('is deterministic with a seed', async () => {
    const [a, b] = [net(), net()];
    await fitAugment(a, set, { steps: 3, batchSize: 4, seed: 9 });
    await fitAugment(b, set, { steps: 3, batchSize: 4, seed: 9 });
    expect(allWeights(a)).toEqual(allWeights(b));
    a.dispose();
    b.dispose();
  });

  it("'least-squares' sets A, b to the closed-form fit of the latents, then keeps them out of the gradient step", async () => {
    const n = net();
    // refitEvery larger than the run: one refit at step 0, before E changes.
    const pairs = framePairs(set);
    const { x0, x1 } = pairBatch(set, pairs);
    const [z0, z1] = tf.tidy(() => [n.encode(x0).dataSync(), n.encode(x1).dataSync()]);
    tf.dispose([x0, x1]);
    const expected = leastSquaresAffine(z0!, z1!, 4);
    await fitAugment(n, set, { steps: 2, batchSize: 4, latentModel: 'least-squares', refitEvery: 100 });
    Array.from(n.dynamics.matrix()).forEach((v, i) => expect(v).toBeCloseTo(expected.a[i]!, 4));
    Array.from(n.dynamics.offset()).forEach((v, i) => expect(v).toBeCloseTo(expected.b[i]!, 4));
    expect(n.dynamics.model.trainable).toBe(true);
    n.dispose();
  });

  it('resumes an interrupted run to the same weights as an uninterrupted one (both latent-model modes)', async () => {
    for (const latentModel of ['joint', 'least-squares'] as const) {
      const o: FitAugmentOptions = { steps: 4, batchSize: 4, seed: 5, latentModel, refitEvery: 3 };
      const whole = net();
      await fitAugment(whole, set, o);
      const ck = join(dir, latentModel);
      const first = net();
      await fitAugment(first, set, { ...o, steps: 2, checkpoint: { dir: ck, every: 2 } });
      first.dispose();
      const resumed = net();
      await fitAugment(resumed, set, { ...o, checkpoint: { dir: ck, every: 2 }, resume: true });
      expect(allWeights(resumed)).toEqual(allWeights(whole));
      whole.dispose();
      resumed.dispose();
    }
  });

  it('names bad options', async () => {
    const n = net();
    await expect(fitAugment(n, set, { steps: 0 })).rejects.toThrow(/steps/);
    await expect(fitAugment(n, set, { steps: 1, latentModel: 'sgd' as 'joint' })).rejects.toThrow(/latentModel must be 'joint' or 'least-squares', got 'sgd'/);
    const other = sinusoidSequences([0], 4);
    const wide = createAugmentAutoencoder({ imageShape: [8, 8, 1], latentDim: 2, filters: [2] });
    await expect(fitAugment(wide, other, { steps: 1 })).rejects.toThrow(/images must be \[N, 8, 8, 1\] for this model, got \[1, 8, 16, 1\]/);
    wide.dispose();
    n.dispose();
  });
});
