import { initBackend, tf } from '@facelab/core-tensor';
import { expectClose } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { deblurLoss, identityLoss, ssimLossTerm } from '../src/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('identityLoss', () => {
  it('is the mean of 1 − cos for normalised rows, and the squared distance = 2 − 2 cos for l2', () => {
    const a = tf.tensor2d([[1, 0], [0, 1]]);
    const b = tf.tensor2d([[Math.SQRT1_2, Math.SQRT1_2], [0, -1]]);
    // cosines: 0.7071 and −1 → mean(1 − cos) = (0.2929 + 2) / 2
    expectClose(identityLoss(a, b), (1 - Math.SQRT1_2 + 2) / 2, { atol: 1e-6 });
    expectClose(identityLoss(a, b, 'l2'), (2 - 2 * Math.SQRT1_2 + 4) / 2, { atol: 1e-6 });
    expectClose(identityLoss(a, a), 0, { atol: 1e-7 });
    tf.dispose([a, b]);
  });
});

describe('ssimLossTerm', () => {
  it('is 1 for equal images and lower for a noisy copy', () => {
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const noisy = tf.clipByValue(tf.add(x, tf.randomNormal([1, 16, 16, 3], 0, 0.2, 'float32', 2)), 0, 1) as tf.Tensor4D;
    expectClose(ssimLossTerm(x, x), 1, { atol: 1e-5 });
    expect(ssimLossTerm(x, noisy).arraySync()).toBeLessThan(0.9);
    tf.dispose([x, noisy]);
  });
});

describe('deblurLoss', () => {
  it('adds the weighted terms: L1, 1 − SSIM, identity and the low stage', () => {
    const y = tf.fill([1, 8, 8, 3], 0.5) as tf.Tensor4D;
    const out = tf.fill([1, 8, 8, 3], 0.7) as tf.Tensor4D;
    const low = tf.fill([1, 4, 4, 3], 0.4) as tf.Tensor4D;
    const ea = tf.tensor2d([[1, 0]]);
    const eb = tf.tensor2d([[0, 1]]);
    const { total, terms } = deblurLoss(
      { deblurred: out, sharp: y, low, embeddingDeblurred: ea, embeddingSharp: eb },
      { l1: 2, identity: 0.5, low: 3 },
    );
    expectClose(terms.l1!, 0.2, { atol: 1e-6 });
    expectClose(terms.identity!, 1, { atol: 1e-6 });
    expectClose(terms.low!, 0.1, { atol: 1e-6 });
    expect(terms.ssim).toBeUndefined();
    expectClose(total, 2 * 0.2 + 0.5 * 1 + 3 * 0.1, { atol: 1e-6 });
    expect(() => deblurLoss({ deblurred: out, sharp: y }, { identity: 1 })).toThrow(/needs both embeddings/);
    tf.dispose([y, out, low, ea, eb, total, ...Object.values(terms)]);
  });
});
