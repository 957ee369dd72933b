// predictClipsAsync (the browser's path: results read with `await array()`) against predictClips: the same
// per-clip frames (padded frames dropped by the mask) and no tensors left.
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { predictClips, predictClipsAsync } from '../src/eval/predict.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('predictClipsAsync', () => {
  it('returns what predictClips returns and leaves no tensor behind', async () => {
    const model = createAffWildNet({ backbone: 'small', seed: 2 });
    const [count, length, size] = [3, 4, 32];
    const frames = Float32Array.from({ length: count * length * size * size * 3 }, (_, i) => Math.sin(i * 0.37));
    const mask = Float32Array.from({ length: count * length }, (_, i) => (i === 11 ? 0 : 1)); // clip 2 loses its last frame
    const set = { frames, labels: new Float32Array(count * length * 2), mask, count, length, size };
    const sync = predictClips(model, set, 2);
    const before = tf.memory().numTensors;
    const got = await predictClipsAsync(model, set, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toEqual(sync);
    expect(got.map((c) => c.length)).toEqual([4, 4, 3]);
    model.dispose();
  });
});
