import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { fitAffWildNet } from '../src/train/affwildnet.js';
import type { ClipSet } from '../src/data/sets.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** `count` clips of noise frames and labels in [−1, 1). */
function noiseClips(count: number, length: number, size: number): ClipSet {
  const rng = new Rng(1);
  const frames = Float32Array.from({ length: count * length * size * size * 3 }, () => 2 * rng.next() - 1);
  const labels = Float32Array.from({ length: count * length * 2 }, () => 2 * rng.next() - 1);
  return { frames, labels, count, length, size };
}

const cnnWeights = (m: tf.LayersModel) => {
  const last = m.layers.findIndex((l) => l.name === 'fc_seq');
  return m.layers.slice(0, last + 1).flatMap((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
};
const gruWeights = (m: tf.LayersModel) => m.layers.filter((l) => l.name.startsWith('rnn')).flatMap((l) => l.getWeights().map((w) => Array.from(w.dataSync())));

describe('fitAffWildNet (the two-stage recipe)', () => {
  it('trains the CNN on frames, then only the recurrent part with the CNN frozen; every layer trainable after', async () => {
    const set = noiseClips(3, 2, 32);
    const model = createAffWildNet({ backbone: 'small', gruUnits: 4, fcUnits: 8 });
    const cnn0 = cnnWeights(model);
    const gru0 = gruWeights(model);
    let cnnAfterFrames: number[][] = [];
    let frameShape: number[] = [];
    const result = await fitAffWildNet(model, set, {
      frames: { steps: 2, batchSize: 2, learningRate: 1e-2, seed: 3 },
      sequence: { steps: 2, batchSize: 2, learningRate: 1e-2, seed: 4 },
      afterFrames: (frames) => {
        cnnAfterFrames = cnnWeights(model);
        frameShape = tf.tidy(() => (frames.predict(tf.zeros([1, 2, 32, 32, 3])) as tf.Tensor).shape);
      },
    });
    expect(result.frames.records).toHaveLength(2);
    expect(result.sequence.records).toHaveLength(2);
    expect(frameShape).toEqual([2, 2]);
    expect(cnnAfterFrames).not.toEqual(cnn0);
    expect(gruWeights(model)).not.toEqual(gru0);
    expect(cnnWeights(model)).toEqual(cnnAfterFrames);
    expect(model.layers.every((l) => l.trainable)).toBe(true);
    model.dispose();
  });

  it('names a model without the frame CNN', async () => {
    const x = tf.input({ shape: [2, 32, 32, 3] });
    const other = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor, name: 'other' });
    await expect(fitAffWildNet(other, noiseClips(1, 2, 32), { frames: { steps: 1 }, sequence: { steps: 1 } })).rejects.toThrow(
      /has no 'fc' layer/,
    );
    other.dispose();
  });
});
