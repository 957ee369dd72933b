// embedAsync (the browser's path: results read with `await data()`) against embed on the same model and images:
// equal rows, unit norms, no tensors left, and embed's errors for a wrong image size.
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { embed, embedAsync } from '../src/eval/embed.js';
import { IRESNET_SMALL, iresnet } from '../src/model/iresnet.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('embedAsync', () => {
  it('returns what embed returns, batch by batch, and leaves no tensor behind', async () => {
    const model = iresnet({ ...IRESNET_SMALL, seed: 3 });
    const images = tf.randomUniform([5, 32, 32, 3], 0, 255, 'float32', 7) as tf.Tensor4D;
    const sync = embed(model, images, { batchSize: 2 });
    const before = tf.memory().numTensors;
    const rows = await embedAsync(model, images, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rows).toHaveLength(5);
    rows.forEach((r, i) => {
      expect(Array.from(r)).toEqual(Array.from(sync[i]!));
      expect(Math.hypot(...r)).toBeCloseTo(1, 5);
    });
    const noFlip = await embedAsync(model, images, { flip: false, batchSize: 4 });
    expect(Array.from(noFlip[4]!)).toEqual(Array.from(embed(model, images, { flip: false })[4]!));
    await expect(embedAsync(model, tf.zeros([1, 16, 16, 3]) as tf.Tensor4D)).rejects.toThrow('embed: images has shape [1,16,16,3], the model expects [N, 32, 32, 3]');
    tf.dispose(images);
    model.dispose();
  });
});
