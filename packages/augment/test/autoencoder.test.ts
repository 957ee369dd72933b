import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { createAugmentAutoencoder } from '../src/model/autoencoder.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('createAugmentAutoencoder', () => {
  it('maps [N, 16, 16, 3] images to [N, d] latents and back to images in [0, 1], leaking nothing', () => {
    const net = createAugmentAutoencoder({ imageShape: [16, 16, 3], latentDim: 5, filters: [4, 8], seed: 3 });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const [zShape, yShape, range] = tf.tidy(() => {
      const z = net.encode(x);
      const y = net.decode(z);
      return [z.shape, y.shape, [y.min().dataSync()[0]!, y.max().dataSync()[0]!]];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(zShape).toEqual([2, 5]);
    expect(yShape).toEqual([2, 16, 16, 3]);
    expect(range[0]).toBeGreaterThanOrEqual(0);
    expect(range[1]).toBeLessThanOrEqual(1);
    // A starts as the identity, b as zero.
    expect(Array.from(net.dynamics.matrix())).toEqual(Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)));
    expect(Array.from(net.dynamics.offset())).toEqual([0, 0, 0, 0, 0]);
    x.dispose();
    net.dispose();
  });

  it('is deterministic with a seed and differs across seeds', () => {
    const make = (seed: number) => createAugmentAutoencoder({ imageShape: [8, 8, 1], latentDim: 3, filters: [2], seed });
    const [a, b, c] = [make(4), make(4), make(5)];
    expect(weights(a.encoder)).toEqual(weights(b.encoder));
    expect(weights(a.decoder)).toEqual(weights(b.decoder));
    expect(weights(a.encoder)).not.toEqual(weights(c.encoder));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('names a bad image shape or filter list', () => {
    expect(() => createAugmentAutoencoder({ imageShape: [12, 16, 3], filters: [4, 4, 4] })).toThrow(/imageShape 12×16 must be divisible by 8/);
    expect(() => createAugmentAutoencoder({ imageShape: [16, 16, 3], filters: [] })).toThrow(/filters must list at least one level/);
    expect(() => createAugmentAutoencoder({ imageShape: [16, 16, 3], latentDim: 0 })).toThrow(/latentDim/);
  });
});
