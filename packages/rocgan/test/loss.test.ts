import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { decovLoss, rocganDiscriminatorLoss, rocganGeneratorLoss } from '../src/index.js';
import { golden } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const num = (t: tf.Tensor) => t.dataSync()[0]!;

/** Tensors whose L1 means are exactly the worked values: mean|y − ŷ| = 0.175, 0.05, latent 0.35/3. */
function workedTerms() {
  return {
    realLogits: tf.tensor1d([2, -1]),
    fakeLogits: tf.tensor1d([0.5, -0.5]),
    target: tf.tensor2d([
      [0.1, 0.2],
      [0.3, 0.4],
    ]),
    output: tf.tensor2d([
      [0.1, 0.2],
      [0.3, 0.4 + 0.7],
    ]), // |diff| mean = 0.7 / 4 = 0.175
    reconstruction: tf.tensor2d([
      [0.1, 0.2],
      [0.3, 0.4 + 0.2],
    ]), // 0.2 / 4 = 0.05
    latentReg: tf.tensor1d([0, 0, 0]),
    latentAe: tf.tensor1d([0.1, 0.1, 0.15]), // 0.35 / 3
    realFeatures: tf.tensor1d([1, 1]),
    fakeFeatures: tf.tensor1d([0.5, 1.5]), // gap mean 0.5
  };
}

describe('RoCGAN losses (the issue worked values, recomputed in PyTorch)', () => {
  it('softplus D and G adversarial terms, L_G with (λ_c, λ_ae, λ_l) = (100, 100, 20), L_D with the projection on D', () => {
    const t = workedTerms();
    const before = tf.memory().numTensors;
    const d = rocganDiscriminatorLoss(t, { projection: 0 });
    expect(num(d.total)).toBeCloseTo(1.444172, 5);
    expect(num(d.total)).toBeCloseTo(golden.losses.dAdv, 5);
    const g = rocganGeneratorLoss(t, { projectionOn: 'discriminator' });
    expect(num(g.terms.adversarial!)).toBeCloseTo(0.724077, 5);
    expect(num(g.terms.content!)).toBeCloseTo(0.175, 6);
    expect(num(g.terms.reconstruction!)).toBeCloseTo(0.05, 6);
    expect(num(g.terms.latent!)).toBeCloseTo(0.116667, 6);
    expect(num(g.total)).toBeCloseTo(25.55741, 4);
    expect(num(g.total)).toBeCloseTo(golden.losses.gTotal, 4);
    const dp = rocganDiscriminatorLoss(t, { projectionOn: 'discriminator' });
    expect(num(dp.total)).toBeCloseTo(51.444172, 4);
    expect(num(dp.total)).toBeCloseTo(golden.losses.dTotal, 4);
    // The paper's side: the same term joins L_G instead; the D loss is then adversarial only.
    const gp = rocganGeneratorLoss(t);
    expect(num(gp.total)).toBeCloseTo(25.55741 + 50, 3);
    expect(tf.tidy(() => num(rocganDiscriminatorLoss(t).total))).toBeCloseTo(1.444172, 5);
    tf.dispose([d, g, dp, gp].flatMap((b) => [b.total, ...Object.values(b.terms)]));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cGAN: adversarial + content (+ projection) only; L2 latent option; hinge and LSGAN kinds', () => {
    const t = workedTerms();
    const c = rocganGeneratorLoss({ fakeLogits: t.fakeLogits, target: t.target, output: t.output }, { projection: 0 });
    expect(Object.keys(c.terms)).toEqual(['adversarial', 'content']);
    expect(num(c.total)).toBeCloseTo(0.724077 + 17.5, 4);
    const l2 = rocganGeneratorLoss(t, { latentNorm: 'l2', projection: 0 });
    expect(num(l2.terms.latent!)).toBeCloseTo((0.01 + 0.01 + 0.0225) / 3, 6);
    // hinge G: −mean D(fake) = 0; LSGAN D: ½(mean (D(real) − 1)² + mean D(fake)²) = ½((1 + 4)/2 + 0.25) = 1.375
    expect(num(rocganGeneratorLoss(t, { adversarial: 'hinge', projection: 0 }).terms.adversarial!)).toBeCloseTo(0, 6);
    expect(num(rocganDiscriminatorLoss(t, { adversarial: 'lsgan', projection: 0 }).total)).toBeCloseTo(1.375, 6);
  });

  it('DeCov equals its definition computed in PyTorch (float64) on a fixed batch', () => {
    const h = tf.tensor2d(golden.decov.latent);
    expect(num(decovLoss(h))).toBeCloseTo(golden.decov.value, 4);
    // As a 4-D latent [N, 1, 1, C] it is the same.
    expect(num(decovLoss(tf.reshape(h, [5, 1, 1, 4])))).toBeCloseTo(golden.decov.value, 4);
    const t = workedTerms();
    const lat = { latentReg: tf.reshape(h, [5, 1, 1, 4]), latentAe: tf.reshape(h, [5, 1, 1, 4]) };
    const g = rocganGeneratorLoss({ ...t, ...lat }, { decov: 2, projection: 0 });
    expect(num(g.terms.decov!)).toBeCloseTo(golden.decov.value, 4);
  });

  it('bad input: one-line errors naming the argument', () => {
    const t = workedTerms();
    expect(() => rocganGeneratorLoss({ ...t, output: tf.zeros([3]) })).toThrow(
      'rocganGeneratorLoss: target vs output: shapes differ, [2,2] vs [3]',
    );
    expect(() => rocganGeneratorLoss({ ...t, reconstruction: undefined })).toThrow(/give all of reconstruction, latentReg and latentAe/);
    expect(() => rocganGeneratorLoss({ ...t, realFeatures: undefined })).toThrow(/projectionOn 'generator' needs realFeatures/);
    expect(() => rocganGeneratorLoss(t, { content: -1 })).toThrow("loss weight 'content' must be a non-negative number, got -1");
    expect(() => rocganGeneratorLoss(t, { projectionOn: 'both' as never })).toThrow(/projectionOn must be 'generator' or 'discriminator'/);
    expect(() => decovLoss(tf.zeros([3]))).toThrow('decovLoss: latent must be [N, ...], got shape [3]');
  });
});
