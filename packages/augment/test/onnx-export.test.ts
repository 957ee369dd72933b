/**
 * The augmentation networks exported to ONNX (core-tensor's exportOnnx) and run in onnxruntime-node against
 * tfjs on the cpu backend: the autoencoder's encoder and decoder (dense → reshape → nearest upsampling →
 * convolutions) and the identity classifier, within 1e-4 relative, with seeded random weights.
 */
import { beforeAll, describe, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { createAugmentAutoencoder, createIdentityClassifier } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function check(model: tf.LayersModel, seed: number): void {
  randomizeWeights(model, seed);
  const shape = model.inputs[0]!.shape.map((d) => d ?? 3);
  const x = tf.tensor(randn(new Rng(seed + 1), shape), shape);
  expectOnnxRoundTrip(model, x);
  x.dispose();
}

describe('augment networks → ONNX round trip', () => {
  it('autoencoder encoder and decoder (two levels, non-square images)', () => {
    const ae = createAugmentAutoencoder({ imageShape: [8, 16, 1], latentDim: 4, filters: [4, 4], seed: 2 });
    check(ae.encoder, 71);
    check(ae.decoder, 72);
    ae.dispose();
  });

  it('identity classifier', () => {
    const model = createIdentityClassifier({ imageShape: [16, 16, 3], classes: 5, filters: [4, 8, 8], seed: 3 });
    check(model, 73);
    model.dispose();
  });
});
