import { tf } from '@facelab/core-tensor';
import { describeBackends } from '@facelab/test-utils/backends';
import { expect, it } from 'vitest';
import { averageFrames, createDeblurNet, createIdentityNet, fitDeblur, type PairSet } from '../src/index.js';
import { translatingClip } from './helpers.js';

const data: PairSet = { blurred: [], sharp: [], size: 16, channels: 3, names: [] };
for (let i = 0; i < 4; i++) {
  const frames = translatingClip(16, 5, [0, 1], 40 + i, false, 4);
  data.blurred.push(averageFrames(frames));
  data.sharp.push(frames[2]!.data as Float32Array);
  data.names.push(String(i));
}

/** Three steps of the two-stream two-step network; returns the losses and checks the tensor count. */
async function losses(): Promise<number[]> {
  const identity = createIdentityNet({ imageSize: 16, embeddingSize: 8, seed: 3 });
  const net = createDeblurNet({ imageSize: 16, filters: [4, 8], variant: 'two-step', seed: 2 });
  const before = tf.memory().numTensors;
  const r = await fitDeblur({ net, data, identity, steps: 3, batchSize: 2, seed: 4, progress: false });
  expect(tf.memory().numTensors).toBe(before);
  net.model.dispose();
  identity.dispose();
  return r.records.map((x) => x.loss);
}

describeBackends(['wasm', 'cpu'], () => {
  it('trains the two-stream two-step network: finite, deterministic with a seed, no leaked tensor', async () => {
    const a = await losses();
    const b = await losses();
    expect(a.every(Number.isFinite)).toBe(true);
    expect(b).toEqual(a);
  });
});
