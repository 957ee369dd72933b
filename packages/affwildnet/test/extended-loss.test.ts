/** Extended-loss pieces against hand-computed values: k-means centres of separated clusters, loss sums. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { classCentres, classMedoids, extendedLoss, kmeans, representationAnchorLoss } from '../src/train/extended-loss.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('k-means per class', () => {
  it('finds the means of two separated clusters, deterministically', () => {
    const pts = [[0, 0], [0, 2], [2, 0], [10, 10], [10, 12], [12, 10]];
    const c = kmeans(pts, 2, 5).sort((a, b) => a[0]! - b[0]!);
    expect(c).toEqual([[2 / 3, 2 / 3], [32 / 3, 32 / 3]]);
    expect(kmeans(pts, 2, 5)).toEqual(kmeans(pts, 2, 5));
  });

  it('labels each class’s centres with the class', () => {
    const r = classCentres([[0], [1], [10], [11], [20]], [1, 1, 0, 0, 1], 2);
    expect(r.labels).toEqual([0, 0, 1, 1]);
    expect(r.centres.map((c) => c[0]).slice(0, 2).sort((a, b) => a! - b!)).toEqual([10, 11]);
    expect(() => kmeans([[0]], 2, 1)).toThrow(/1 point\(s\) cannot make 2 clusters/);
  });
});

describe('medoids of the per-class centres', () => {
  it('are the samples of each centre’s class nearest the centre, by hand', () => {
    // K = 2 per class, well-separated clusters. Class 0: {(0,0), (0,1), (0,3)} → mean (0, 4/3), medoid
    // (0,1) = #2 — the class-1 sample (0,1.3) = #3 is nearer but of the other class; {(100,0), (104,0)} →
    // (102,0), a tie at distance 2 → the lower index #4. Class 1: {(0,1.3)} → #3 itself; {(50,50), (50,56),
    // (50,60)} → (50, 166/3), nearest (50,56) = #5.
    const features = [[0, 0], [50, 50], [0, 1], [0, 1.3], [100, 0], [50, 56], [0, 3], [104, 0], [50, 60]];
    const labels = [0, 1, 0, 1, 0, 1, 0, 0, 1];
    const r = classMedoids(features, labels, 2, 3);
    expect(r.labels).toEqual([0, 0, 1, 1]);
    const pairs = r.medoids.map((m, j) => [r.labels[j], m, ...r.centres[j]!.map((v) => Math.round(3 * v))]);
    expect(pairs.sort((p, q) => p[1]! - q[1]!)).toEqual([[0, 2, 0, 4], [1, 3, 0, 4], [0, 4, 306, 0], [1, 5, 150, 166]]);
    expect(() => classMedoids([[0]], [0, 1], 1)).toThrow(/1 feature rows but 2 labels/);
  });
});

describe('extendedLoss', () => {
  it('is CE_A + λ·anchor, by hand', () => {
    // Logits [0, ln 3] → softmax [1/4, 3/4]: CE of class 1 is ln(4/3), of class 0 ln 4.
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    const ceA = Math.log(4 / 3);
    const l = (anchor: 'ce' | 'mse') =>
      extendedLoss(tf.tensor1d([1]), logits, { centreLogits: tf.tensor2d([[0, Math.log(3)]]), centreLabels: tf.tensor1d([0]) }, { lambda: 0.5, anchor }).dataSync()[0];
    expect(l('ce')).toBeCloseTo(ceA + 0.5 * Math.log(4), 5);
    expect(l('mse')).toBeCloseTo(ceA + 0.5 * ((1 / 4 - 1) ** 2 + (3 / 4) ** 2), 5);
    const before = tf.memory().numTensors;
    const args = [tf.tensor1d([1]), logits, { centreLogits: tf.tensor2d([[1, 2]]), centreLabels: tf.tensor1d([0]) }] as const;
    const after = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) extendedLoss(...args).dispose();
    expect(tf.memory().numTensors).toBe(after);
    expect(after - before).toBe(3);
  });

  it('with the medoid anchor is CE_A + λ·CE (or squared error) of the medoids’ logits, by hand', () => {
    // Medoid logits [0, ln 3] with label 0 → ln 4; [ln 2, 0] with label 0 → softmax [2/3, 1/3], CE ln(3/2).
    const inputs = { centreLogits: tf.tensor2d([[0, Math.log(3)], [Math.log(2), 0]]), centreLabels: tf.tensor1d([0, 0]) };
    const l = (anchor: 'medoids' | 'medoids-mse') => extendedLoss(tf.tensor1d([1]), tf.tensor2d([[0, Math.log(3)]]), inputs, { lambda: 2, anchor }).dataSync()[0];
    expect(l('medoids')).toBeCloseTo(Math.log(4 / 3) + 2 * ((Math.log(4) + Math.log(3 / 2)) / 2), 5);
    const se = ((1 / 4 - 1) ** 2 + (3 / 4) ** 2 + (2 / 3 - 1) ** 2 + (1 / 3) ** 2) / 2;
    expect(l('medoids-mse')).toBeCloseTo(Math.log(4 / 3) + 2 * se, 5);
    expect(() => extendedLoss(tf.tensor1d([1]), tf.tensor2d([[0, 1]]), { centreLabels: tf.tensor1d([0]) }, { anchor: 'medoids' })).toThrow(
      /anchor 'medoids' needs inputs.centreLogits/,
    );
  });

  it('with the representation anchor is CE_A + λ·(mean squared distance to the nearest same-class centre)', () => {
    const logits = tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]);
    const inputs = { hiddenA: tf.tensor2d([[0, 0], [3, 4]]), centres: tf.tensor2d([[1, 0], [0, 2], [3, 0]]), centreLabels: tf.tensor1d([0, 0, 1]) };
    const l = extendedLoss(tf.tensor1d([0, 1]), logits, inputs, { lambda: 2, anchor: 'representation' }).dataSync()[0];
    // CE: class 0 → ln 4, class 1 → ln(4/3); anchor (1 + 16) / 2 = 8.5 (see below).
    expect(l).toBeCloseTo((Math.log(4) + Math.log(4 / 3)) / 2 + 2 * 8.5, 5);
    expect(() => extendedLoss(tf.tensor1d([0, 1]), logits, { centreLabels: tf.tensor1d([0]) }, { anchor: 'representation' })).toThrow(
      /anchor 'representation' needs inputs.hiddenA/,
    );
    expect(() => extendedLoss(tf.tensor1d([0, 1]), logits, inputs, { anchor: 'l2' as 'ce' })).toThrow(/anchor must be 'ce', 'mse', 'representation', 'medoids' or 'medoids-mse'/);
  });
});

describe('representationAnchorLoss', () => {
  // Sample 0 (class 0) at (0, 0): class-0 centres (1, 0) at squared distance 1 and (0, 2) at 4 → 1.
  // Sample 1 (class 1) at (3, 4): its only centre (3, 0) at 16 (the nearer class-0 centres do not count).
  const centres = () => tf.tensor2d([[1, 0], [0, 2], [3, 0]]);
  const centreLabels = () => tf.tensor1d([0, 0, 1]);

  it('is the mean squared distance to the nearest centre of the sample’s own class, by hand', () => {
    const v = representationAnchorLoss(tf.tensor2d([[0, 0], [3, 4]]), tf.tensor1d([0, 1]), centres(), centreLabels());
    expect(v.dataSync()[0]).toBeCloseTo(8.5, 6);
    // d/dh = (2/N)(h − c*) = h − c* for N = 2.
    const g = tf.grad((h: tf.Tensor) => representationAnchorLoss(h as tf.Tensor2D, tf.tensor1d([0, 1]), centres(), centreLabels()));
    expect(Array.from(g(tf.tensor2d([[0, 0], [3, 4]])).dataSync())).toEqual([-1, 0, 0, 4]);
    expect(() => representationAnchorLoss(tf.tensor2d([[0, 0, 0]]), tf.tensor1d([0]), centres(), centreLabels())).toThrow(
      /representations are 3-d but centres 2-d/,
    );
  });

  it('has the gradient of central finite differences', () => {
    const h0 = [0.3, -0.2, 1.1, 0.5, -0.7, 0.9];
    const f = (h: number[]) =>
      tf.tidy(() => representationAnchorLoss(tf.tensor2d(h, [3, 2]), tf.tensor1d([0, 1, 0]), centres(), centreLabels()).dataSync()[0]!);
    const g = tf.tidy(() => Array.from(tf.grad((h: tf.Tensor) => representationAnchorLoss(h as tf.Tensor2D, tf.tensor1d([0, 1, 0]), centres(), centreLabels()))(tf.tensor2d(h0, [3, 2])).dataSync()));
    const eps = 1e-2;
    h0.forEach((_, i) => {
      const up = h0.slice();
      const down = h0.slice();
      up[i]! += eps;
      down[i]! -= eps;
      expect(g[i]).toBeCloseTo((f(up) - f(down)) / (2 * eps), 3);
    });
  });

  it('leaks no tensors over 50 calls', () => {
    const args = [tf.tensor2d([[0, 0], [3, 4]]), tf.tensor1d([0, 1]), centres(), centreLabels()] as const;
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) representationAnchorLoss(...args).dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });
});
