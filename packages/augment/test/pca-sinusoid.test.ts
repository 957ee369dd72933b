import { beforeAll, describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { initBackend, tf } from '@facelab/core-tensor';
import { fitPcaAugment } from '../src/model/pca.js';
import { sinusoidSequences, THREE_WAVES } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** RMS over the frames t = 0..T−1−k of a held-out sequence of ‖D(A^k E(x_t)) − x_{t+k}‖, relative to the RMS of x − 0.5. */
function kStepError(latentDim: number, k: number): number {
  const train = sinusoidSequences([0, 7]);
  const model = fitPcaAugment(train, { latentDim });
  const held = sinusoidSequences([3.3], 24).frames[0]!;
  const [h, w] = [8, 16];
  const t0 = k >= 0 ? 0 : -k;
  const count = held.length - Math.abs(k);
  const before = tf.memory().numTensors;
  const predicted = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(held.slice(t0, t0 + count).flatMap((f) => Array.from(f))), [count, h, w, 1]);
    const z = model.encode(x);
    const zk = model.dynamics.steps(z, k);
    return model.decode(zk).dataSync();
  });
  expect(tf.memory().numTensors).toBe(before);
  let err = 0;
  let ref = 0;
  for (let i = 0; i < count; i++) {
    const truth = held[t0 + i + k]!;
    for (let p = 0; p < truth.length; p++) {
      err += (predicted[i * truth.length + p]! - truth[p]!) ** 2;
      ref += (truth[p]! - 0.5) ** 2;
    }
  }
  model.dispose();
  return Math.sqrt(err / ref);
}

describe('PCA transformation on a translating sinusoid (exact linear baseline)', () => {
  it('predicts frames k steps ahead and behind to float32 precision when the basis spans the 6-D orbit', () => {
    for (const k of [1, 2, 4, -1, -3]) expect(kStepError(6, k)).toBeLessThan(1e-6);
  });

  it('loses accuracy as the basis is truncated below the orbit, dropping the weakest waves first', () => {
    for (const k of [1, 3]) {
      const full = kStepError(6, k);
      const four = kStepError(4, k);
      const two = kStepError(2, k);
      expect(four).toBeGreaterThan(100 * full);
      expect(two).toBeGreaterThan(1.5 * four);
      // The dropped waves' share of the signal power bounds the error from below.
      const power = THREE_WAVES.map((w) => w.amp ** 2);
      const total = power.reduce((a, b) => a + b, 0);
      expect(four).toBeGreaterThan(Math.sqrt(power[2]! / total) * 0.9);
      expect(two).toBeGreaterThan(Math.sqrt((power[1]! + power[2]!) / total) * 0.9);
    }
  });

  it('learns A whose eigenvalues are the rotations e^{±i 2π f_x v / W} of the three waves', () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const d = 6;
    const m = model.dynamics.matrix();
    const a = Array.from({ length: d }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
    const eig = new EigenvalueDecomposition(new Matrix(a));
    const moduli = eig.realEigenvalues.map((re, i) => Math.hypot(re, eig.imaginaryEigenvalues[i]!));
    const angles = eig.realEigenvalues.map((re, i) => Math.abs(Math.atan2(eig.imaginaryEigenvalues[i]!, re))).sort((x, y) => x - y);
    const expected = THREE_WAVES.flatMap((w) => [2 * Math.PI * w.fx * 0.7 / 16, 2 * Math.PI * w.fx * 0.7 / 16]).sort((x, y) => x - y);
    expect(moduli).toHaveLength(d);
    for (const m of moduli) expect(m).toBeCloseTo(1, 5);
    angles.forEach((angle, i) => expect(angle).toBeCloseTo(expected[i]!, 5));
    model.dispose();
  });

  it('gives the pair of directions of each wave its power P·a²/2 (summed over the P = 128 pixels)', () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7], 40), { latentDim: 6 });
    for (const [j, wave] of THREE_WAVES.entries()) {
      // Exact over whole periods of the motion; 40 frames of 0.7 px cover 1.75 periods of the slowest wave.
      const ratio = (model.variances[2 * j]! + model.variances[2 * j + 1]!) / ((128 * wave.amp ** 2) / 2);
      expect(ratio).toBeGreaterThan(0.9);
      expect(ratio).toBeLessThan(1.1);
    }
    model.dispose();
  });
});
