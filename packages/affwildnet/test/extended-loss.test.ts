/** Extended-loss pieces against hand-computed values: k-means centres of separated clusters, loss sums. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { classCentres, extendedLoss, kmeans } from '../src/train/extended-loss.js';

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

describe('extendedLoss', () => {
  it('is CE_A + λ·anchor, by hand', () => {
    // Logits [0, ln 3] → softmax [1/4, 3/4]: CE of class 1 is ln(4/3), of class 0 ln 4.
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    const ceA = Math.log(4 / 3);
    const l = (anchor: 'ce' | 'mse') =>
      extendedLoss(tf.tensor1d([1]), logits, tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([0]), { lambda: 0.5, anchor }).dataSync()[0];
    expect(l('ce')).toBeCloseTo(ceA + 0.5 * Math.log(4), 5);
    expect(l('mse')).toBeCloseTo(ceA + 0.5 * ((1 / 4 - 1) ** 2 + (3 / 4) ** 2), 5);
    const before = tf.memory().numTensors;
    const args = [tf.tensor1d([1]), logits, tf.tensor2d([[1, 2]]), tf.tensor1d([0])] as const;
    const after = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) extendedLoss(...args).dispose();
    expect(tf.memory().numTensors).toBe(after);
    expect(after - before).toBe(3);
  });
});
