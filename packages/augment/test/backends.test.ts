import { expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { describeBackends } from '@facelab/test-utils/backends';
import { createAugmentAutoencoder } from '../src/model/autoencoder.js';
import { fitAugment } from '../src/train/fit.js';
import { augment } from '../src/synthesis/augment.js';
import { sinusoidSequences } from './helpers.js';

const set = sinusoidSequences([0, 5], 6);
const weights = (n: ReturnType<typeof createAugmentAutoencoder>) =>
  [n.encoder, n.decoder, n.dynamics.model].flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));

describeBackends(['cpu', 'wasm'], (backend) => {
  it(`trains E, D, A (both latent-model modes) and generates on ${backend}, deterministically and without leaks`, async () => {
    for (const latentModel of ['joint', 'least-squares'] as const) {
      const make = () => createAugmentAutoencoder({ imageShape: [8, 16, 1], latentDim: 3, filters: [2, 4], seed: 6 });
      const [a, b] = [make(), make()];
      const start = weights(a);
      const before = tf.memory().numTensors;
      const result = await fitAugment(a, set, { steps: 2, batchSize: 4, latentModel, refitEvery: 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.records.every((r) => Number.isFinite(r.loss))).toBe(true);
      expect(weights(a)).not.toEqual(start);
      await fitAugment(b, set, { steps: 2, batchSize: 4, latentModel, refitEvery: 1 });
      expect(weights(b)).toEqual(weights(a));
      const x = tf.zeros([2, 8, 16, 1]) as tf.Tensor4D;
      const out = augment(a, x, { steps: 1 });
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(out.images.shape).toEqual([2, 3, 8, 16, 1]);
      tf.dispose([x, out.images]);
      a.dispose();
      b.dispose();
    }
  });
});
