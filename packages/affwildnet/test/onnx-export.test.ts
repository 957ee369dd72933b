/**
 * AffWildNet and the OMG-Emotion networks exported to ONNX (core-tensor's exportOnnx: time folding around the
 * frame CNN, the fused GRUs as ONNX GRU) and run in onnxruntime-node against tfjs on the cpu backend: outputs
 * within 1e-4 relative, with seeded random weights, on clips whose length the export leaves open.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { AFFWILD_LANDMARK_DIMS, createAffWildNet, createOmgNet } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const clip = (b: number, t: number, seed: number) => tf.tensor(randn(new Rng(seed), [b, t, 32, 32, 3]), [b, t, 32, 32, 3]);

describe('AffWildNet / OMG → ONNX round trip', () => {
  it('AffWildNet (small VGG trunk, 2 GRUs): any clip length, the same graph', () => {
    const model = createAffWildNet({ backbone: 'small', gruUnits: 8, fcUnits: 16, seed: 2 });
    randomizeWeights(model, 21);
    expect(exportOnnx(model).inputs[0]!.shape).toEqual(['batch', 'clip_1', 32, 32, 3]);
    for (const [b, t] of [[2, 3], [1, 5]] as const) {
      const x = clip(b, t, 30 + t);
      expectOnnxRoundTrip(model, x);
      x.dispose();
    }
    model.dispose();
  });

  it('AffWildNet with landmarks (two inputs)', () => {
    const model = createAffWildNet({ backbone: 'small', gruUnits: 6, fcUnits: 8, landmarks: true, frames: 4, seed: 3 });
    randomizeWeights(model, 22);
    const x = clip(2, 4, 40);
    const marks = tf.tensor(randn(new Rng(41), [2, 4, AFFWILD_LANDMARK_DIMS]), [2, 4, AFFWILD_LANDMARK_DIMS]);
    expectOnnxRoundTrip(model, [x, marks]);
    tf.dispose([x, marks]);
    model.dispose();
  });

  for (const variant of ['1rnn', '3rnn'] as const) {
    it(`OMG ${variant} (small trunk)`, () => {
      const model = createOmgNet({ variant, backbone: 'small', gruUnits: 6, fcUnits: 8, frames: 3, seed: 4 });
      randomizeWeights(model, 23);
      const x = clip(2, 3, 50);
      expectOnnxRoundTrip(model, x);
      x.dispose();
      model.dispose();
    });
  }
});
