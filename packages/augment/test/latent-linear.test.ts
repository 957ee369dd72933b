import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { createLatentLinear } from '../src/model/latent-linear.js';
import { leastSquaresAffine } from '../src/linalg/affine.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('createLatentLinear', () => {
  it('k steps equal k applications, and −k steps undo them (A⁻¹ of the affine map)', () => {
    const m = createLatentLinear({ latentDim: 2, matrix: [0.9, -0.3, 0.2, 1.1], offset: [0.05, -0.1] });
    const z = tf.tensor2d([[1, 2], [-0.5, 0.25]]);
    const before = tf.memory().numTensors;
    const three = tf.tidy(() => m.apply(m.apply(m.apply(z))).arraySync());
    const viaPower = tf.tidy(() => m.steps(z, 3).arraySync());
    const back = tf.tidy(() => m.steps(m.steps(z, 3), -3).arraySync());
    // Hand-computed one step of row 1: (0.9·1 − 0.3·2 + 0.05, 0.2·1 + 1.1·2 − 0.1) = (0.35, 2.3).
    expect(tf.tidy(() => m.apply(z).arraySync())[0]).toEqual([expect.closeTo(0.35, 6), expect.closeTo(2.3, 6)]);
    expect(tf.memory().numTensors).toBe(before);
    viaPower.flat().forEach((v, i) => expect(v).toBeCloseTo(three.flat()[i]!, 5));
    back.flat().forEach((v, i) => expect(v).toBeCloseTo(z.arraySync().flat()[i]!, 5));
    z.dispose();
    m.dispose();
  });

  it('refuses backward steps through a singular A and bad shapes, naming them', () => {
    const m = createLatentLinear({ latentDim: 2, matrix: [1, 2, 2, 4] });
    const z = tf.ones([1, 2]) as tf.Tensor2D;
    expect(() => m.steps(z, -1)).toThrow(/latent model is singular or ill-conditioned/);
    expect(() => m.steps(z, 1.5)).toThrow(/step count must be an integer, got 1.5/);
    expect(() => createLatentLinear({ latentDim: 2, matrix: [1, 0, 0] })).toThrow(/matrix has 3 values, expected 2×2 = 4/);
    z.dispose();
    m.dispose();
  });
});

describe('leastSquaresAffine', () => {
  it('recovers A, b exactly from noiseless pairs', () => {
    const a = [0.8, 0.1, -0.2, 0.7];
    const b = [0.3, -0.4];
    const z0 = [1, 0, 0, 1, 2, 3, -1, 0.5];
    const z1 = z0.flatMap((_, i) => (i % 2 === 0 ? [a[0]! * z0[i]! + a[1]! * z0[i + 1]! + b[0]!, a[2]! * z0[i]! + a[3]! * z0[i + 1]! + b[1]!] : []));
    const fit = leastSquaresAffine(Float64Array.from(z0), Float64Array.from(z1), 2);
    Array.from(fit.a).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 12));
    Array.from(fit.b).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
  });
});
