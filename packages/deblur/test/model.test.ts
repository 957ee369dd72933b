import { initBackend, tf } from '@facelab/core-tensor';
import { expectClose } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeblurNet, createIdentityNet, deblurArchitecture, identityEmbedding, predictDeblur, runDeblur } from '../src/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('createDeblurNet', () => {
  it('an untrained network returns its input (residual start), in inference and in training mode', () => {
    const net = createDeblurNet({ imageSize: 16, filters: [4, 8], seed: 1 });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = runDeblur(net, x, true);
    expectClose(y.deblurred, x, { atol: 1e-6 });
    expect(y.low).toBeUndefined();
    tf.dispose([x, y.deblurred]);
    net.model.dispose();
  });

  it('the two-step variant gives the full-size output and the half-size low-frequency stage', () => {
    const net = createDeblurNet({ imageSize: 16, filters: [4, 8], variant: 'two-step', seed: 1 });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const { deblurred, low } = runDeblur(net, x);
    expect(deblurred.shape).toEqual([2, 16, 16, 3]);
    expect(low!.shape).toEqual([2, 8, 8, 3]);
    // Untrained: low is the 2×2 mean of the input.
    const pooled = tf.avgPool(x, 2, 2, 'valid');
    expectClose(low!, pooled, { atol: 1e-6 });
    tf.dispose([x, deblurred, low!, pooled]);
    net.model.dispose();
  });

  it('the same seed gives the same weights', () => {
    const a = createDeblurNet({ imageSize: 16, filters: [4, 8], seed: 7 });
    const b = createDeblurNet({ imageSize: 16, filters: [4, 8], seed: 7 });
    const wa = a.model.getWeights();
    const wb = b.model.getWeights();
    expect(wa.length).toBe(wb.length);
    wa.forEach((w, i) => expectClose(w, wb[i]!, { atol: 0 }));
    a.model.dispose();
    b.model.dispose();
  });

  it('rejects sizes the U-Net cannot halve, naming the option', () => {
    expect(() => deblurArchitecture({ imageSize: 30, filters: [4, 8, 16] })).toThrow(/imageSize must be a positive multiple of 4/);
    expect(() => deblurArchitecture({ imageSize: 36, filters: [4, 8, 16], variant: 'two-step' })).toThrow(/multiple of 8/);
    expect(() => deblurArchitecture({ filters: [] })).toThrow(/filters/);
  });

  it('predictDeblur clips to [0, 1], checks the shape and leaks no tensor', () => {
    const net = createDeblurNet({ imageSize: 16, filters: [4, 8] });
    const x = tf.fill([1, 16, 16, 3], 1.5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const y = predictDeblur(net, x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.max().arraySync()).toBe(1);
    y.dispose();
    const wrong = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => predictDeblur(net, wrong)).toThrow(/expects \[N, 16, 16, 3\]/);
    tf.dispose([x, wrong]);
    net.model.dispose();
  });
});

describe('identity stream', () => {
  it('gives unit-norm embeddings of [0, 1] images', () => {
    const net = createIdentityNet({ imageSize: 16, embeddingSize: 8 });
    const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const e = identityEmbedding(net, x);
    expect(e.shape).toEqual([3, 8]);
    expectClose(tf.norm(e, 'euclidean', 1), [1, 1, 1], { atol: 1e-5 });
    tf.dispose([x, e]);
    net.dispose();
  });
});
