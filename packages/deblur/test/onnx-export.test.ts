/**
 * The deblurring U-Nets (single and two-step: average pooling, bilinear upsampling, skips, transposed
 * convolutions, residual adds) exported to ONNX and run in onnxruntime-node against tfjs on the cpu backend:
 * every output within 1e-4 relative, with seeded random weights.
 */
import { beforeAll, describe, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { createDeblurNet, createIdentityNet } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const images = (seed: number) => tf.tensor(randn(new Rng(seed), [2, 16, 16, 3]), [2, 16, 16, 3]);

describe('deblur networks → ONNX round trip', () => {
  for (const variant of ['single', 'two-step'] as const) {
    it(`${variant} U-Net, every output`, () => {
      const { model } = createDeblurNet({ imageSize: 16, filters: [4, 8], variant, seed: 1 });
      randomizeWeights(model, 41);
      const x = images(3);
      expectOnnxRoundTrip(model, x);
      x.dispose();
      model.dispose();
    });
  }

  it('identity network', () => {
    const model = createIdentityNet({ imageSize: 16, embeddingSize: 8, seed: 3 });
    randomizeWeights(model, 42);
    const x = images(4);
    expectOnnxRoundTrip(model, x);
    x.dispose();
    model.dispose();
  });
});
