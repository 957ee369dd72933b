/**
 * Losses against the worked values (also reproduced with numpy: 0.2401800327332242) and their
 * gradients against central finite differences of an independent float64 host implementation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { affWildLoss, omgLoss } from '../src/train/losses.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Lin's CCC in float64, population moments. */
function ccc64(t: number[], p: number[]): number {
  const m = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const mt = m(t);
  const mp = m(p);
  const cov = m(t.map((v, i) => (v - mt) * (p[i]! - mp)));
  const vt = m(t.map((v) => (v - mt) ** 2));
  const vp = m(p.map((v) => (v - mp) ** 2));
  return (2 * cov) / (vt + vp + (mt - mp) ** 2);
}

/** 1 − mean CCC over the last axis of flat [N, D] rows. */
function loss64(t: number[], p: number[], d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += ccc64(t.filter((_, i) => i % d === k), p.filter((_, i) => i % d === k));
  return 1 - s / d;
}

/** Per-sequence means of [B, T, D] flat values → [B, D] flat. */
function seqMeans(x: number[], b: number, t: number, d: number): number[] {
  const out = new Array<number>(b * d).fill(0);
  for (let i = 0; i < b; i++) for (let j = 0; j < t; j++) for (let k = 0; k < d; k++) out[i * d + k]! += x[(i * t + j) * d + k]! / t;
  return out;
}

describe('worked values', () => {
  it('affWildLoss = 0.2401800327 on the issue example', () => {
    const gold = tf.tensor3d([[[-0.5, 0.2], [0, 0.4], [0.5, 0.1], [1, 0.3]]]);
    const pred = tf.tensor3d([[[-0.3, 0.25], [0.1, 0.35], [0.2, 0.2], [0.8, 0.2]]]);
    expect(affWildLoss(gold, pred).dataSync()[0]).toBeCloseTo(0.2401800327, 6);
    // The same frames split into two sequences: the loss pools all frames, so it is unchanged.
    expect(affWildLoss(gold.reshape([2, 2, 2]), pred.reshape([2, 2, 2])).dataSync()[0]).toBeCloseTo(0.2401800327, 6);
    tf.dispose([gold, pred]);
  });

  it('omgLoss = 0.04 on the issue example (one dimension, [B, T])', () => {
    const pred = tf.tensor2d([[0.1, 0.2, 0.3], [0.5, 0.4, 0.6], [-0.2, -0.1, 0]]);
    const gold = tf.tensor2d([[0, 0.2, 0.4], [0.6, 0.6, 0.6], [-0.3, -0.3, 0]]);
    expect(omgLoss(gold, pred).dataSync()[0]).toBeCloseTo(0.04, 6);
    tf.dispose([gold, pred]);
  });
});

describe('masks', () => {
  it('padded frames with mask 0 leave both losses unchanged', () => {
    const rng = new Rng(3);
    const vals = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
    const t = vals(2 * 5 * 2);
    const p = vals(2 * 5 * 2);
    const pad = (x: number[]) => [...x.slice(0, 10), 9, 9, 9, 9, ...x.slice(10), -9, -9, -9, -9];
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0]]);
    for (const fn of [affWildLoss, omgLoss]) {
      const plain = fn(tf.tensor3d(t, [2, 5, 2]), tf.tensor3d(p, [2, 5, 2])).dataSync()[0]!;
      const masked = fn(tf.tensor3d(pad(t), [2, 7, 2]), tf.tensor3d(pad(p), [2, 7, 2]), mask).dataSync()[0]!;
      expect(masked).toBeCloseTo(plain, 5);
    }
  });

  it('rejects mismatched shapes and masks, naming them', () => {
    const a = tf.zeros([2, 3, 2]);
    expect(() => affWildLoss(a, tf.zeros([2, 4, 2]))).toThrow(/yTrue \[2,3,2\] and yPred \[2,4,2\]/);
    expect(() => omgLoss(a, a, tf.ones([2, 4]))).toThrow(/mask has shape \[2,4\], expected \[B, T\] = \[2,3\]/);
  });
});

describe('gradients equal finite differences of a float64 reference', () => {
  const b = 2;
  const t = 4;
  const d = 2;
  const rng = new Rng(11);
  const gold = Array.from({ length: b * t * d }, () => rng.uniform(-1, 1));
  const pred = Array.from({ length: b * t * d }, () => rng.uniform(-1, 1));
  const cases = [
    { name: 'affWildLoss', fn: affWildLoss, ref: (p: number[]) => loss64(gold, p, d) },
    { name: 'omgLoss', fn: omgLoss, ref: (p: number[]) => loss64(seqMeans(gold, b, t, d), seqMeans(p, b, t, d), d) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const g = tf.tidy(() => tf.grad((p: tf.Tensor) => c.fn(tf.tensor3d(gold, [b, t, d]), p))(tf.tensor3d(pred, [b, t, d])));
      const analytic = Array.from(g.dataSync());
      g.dispose();
      const h = 1e-6;
      pred.forEach((_, i) => {
        const up = pred.slice();
        const down = pred.slice();
        up[i]! += h;
        down[i]! -= h;
        expect(analytic[i]).toBeCloseTo((c.ref(up) - c.ref(down)) / (2 * h), 4);
      });
      expect(c.fn(tf.tensor3d(gold, [b, t, d]), tf.tensor3d(pred, [b, t, d])).dataSync()[0]).toBeCloseTo(c.ref(pred), 5);
    });
  }

  it('leave no tensors behind (50 calls with masks)', () => {
    const g = tf.tensor3d(gold, [b, t, d]);
    const p = tf.tensor3d(pred, [b, t, d]);
    const m = tf.ones([b, t]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) tf.dispose([affWildLoss(g, p, m), omgLoss(g, p, m), affWildLoss(g, p), omgLoss(g, p)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([g, p, m]);
  });
});
