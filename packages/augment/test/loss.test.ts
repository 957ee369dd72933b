import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { augmentLoss, transitionError } from '../src/loss/augment-loss.js';
import { createLatentLinear } from '../src/model/latent-linear.js';
import type { AugmentModel } from '../src/model/types.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** E = flatten, D = reshape (1×2×1 images ↔ 2-D latents) with a given A, b: every term computable by hand. */
function flatModel(a: number[], b: number[]): AugmentModel {
  const dynamics = createLatentLinear({ latentDim: 2, matrix: a, offset: b });
  return {
    kind: 'pca',
    imageShape: [1, 2, 1],
    latentDim: 2,
    dynamics,
    encode: (x) => x.reshape([x.shape[0], 2]),
    decode: (z) => z.reshape([z.shape[0], 1, 2, 1]),
    dispose: () => dynamics.dispose(),
  };
}

describe('transitionError', () => {
  it('is Σ‖z₁ − ẑ‖² / Σ‖z₁ − z̄₁‖², computed by hand', () => {
    const z1 = tf.tensor2d([[1, 2], [3, 6]]);
    const zhat = tf.tensor2d([[1, 1], [2, 6]]);
    // residual 1 + 1 = 2; z̄₁ = (2, 4): spread 1 + 4 + 1 + 4 = 10.
    expect(transitionError(z1, zhat).dataSync()[0]).toBeCloseTo(0.2, 6);
    // Invariant to a common rescaling of z and its prediction.
    expect(transitionError(z1.mul(7) as tf.Tensor2D, zhat.mul(7) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(0.2, 6);
    tf.dispose([z1, zhat]);
  });
});

describe('augmentLoss', () => {
  it('adds the weighted reconstruction, transition and prediction terms of the header equation', () => {
    // A swaps the two latents and adds b = (0.1, 0): ẑ = (z₂ + 0.1, z₁).
    const model = flatModel([0, 1, 1, 0], [0.1, 0]);
    const x0 = tf.tensor4d([0.2, 0.4, 0.6, 0.8], [2, 1, 2, 1]);
    const x1 = tf.tensor4d([0.5, 0.2, 0.9, 0.6], [2, 1, 2, 1]);
    const before = tf.memory().numTensors;
    const out = tf.tidy(() => {
      const r = augmentLoss(model, x0, x1, { reconstruction: 2, transition: 3, prediction: 5 });
      return [r.loss, r.metrics.reconstruction, r.metrics.transition, r.metrics.prediction].map((t) => t.dataSync()[0]!);
    });
    expect(tf.memory().numTensors).toBe(before);
    // E, D exact: reconstruction 0. ẑ rows (0.5, 0.2), (0.9, 0.6) = z₁: transition and prediction 0.
    expect(out).toEqual([0, 0, 0, 0].map(() => expect.closeTo(0, 7)));
    const x1b = tf.tensor4d([0.5, 0.3, 0.9, 0.9], [2, 1, 2, 1]);
    const [loss, rec, tr, pred] = tf.tidy(() => {
      const r = augmentLoss(model, x0, x1b, { reconstruction: 2, transition: 3, prediction: 5 });
      return [r.loss, r.metrics.reconstruction, r.metrics.transition, r.metrics.prediction].map((t) => t.dataSync()[0]!);
    });
    // Residuals (0, −0.1), (0, −0.3): Σ² = 0.1; z̄₁ = (0.7, 0.6): spread 0.04 + 0.09 + 0.04 + 0.09 = 0.26.
    expect(rec).toBeCloseTo(0, 7);
    expect(tr).toBeCloseTo(0.1 / 0.26, 5);
    expect(pred).toBeCloseTo(0.1 / 4, 6);
    expect(loss).toBeCloseTo(3 * (0.1 / 0.26) + 5 * 0.025, 5);
    tf.dispose([x0, x1, x1b]);
    model.dispose();
  });

  it('rejects a negative weight', () => {
    const model = flatModel([1, 0, 0, 1], [0, 0]);
    const x = tf.zeros([1, 1, 2, 1]) as tf.Tensor4D;
    expect(() => tf.tidy(() => augmentLoss(model, x, x, { transition: -1 }).loss)).toThrow(/loss weight 'transition' must be ≥ 0, got -1/);
    x.dispose();
    model.dispose();
  });
});
