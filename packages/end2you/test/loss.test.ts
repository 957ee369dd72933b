import { describe, expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { lengthMask, sequenceLoss, validRows } from '../src/loss/masked.js';

// The worked example: two sequences padded to 3 steps, the second of length 2.
const preds = [[[0.1], [0.2], [0.3]], [[0.5], [0.4], [0]]];
const labels = [[[0], [0.2], [0.4]], [[0.6], [0.3], [0]]];

function lossOf(name: 'ccc' | 'mse' | 'ce', p: number[][][], l: number[][][], lengths: number[], upstreamCompat = false): number {
  return tf.tidy(() => {
    const mask = lengthMask(lengths, p[0]!.length);
    return sequenceLoss(name, tf.tensor3d(l), tf.tensor3d(p), mask, { upstreamCompat }).dataSync()[0]!;
  });
}

describe('sequenceLoss (masked, per output, averaged)', () => {
  it('gives the worked values: 1 − CCC = 0.1333333333 (population), 0.3066666667 upstreamCompat', () => {
    // By hand over the 5 valid steps: μ = 0.3 both; cov = 0.13/5; var_p = 0.1/5, var_t = 0.2/5 → 1 − 0.052/0.06.
    expect(lossOf('ccc', preds, labels, [3, 2])).toBeCloseTo(2 / 15, 6);
    // Upstream: unbiased variances 0.1/4, 0.2/4 with the biased covariance → 1 − 0.052/0.075.
    expect(lossOf('ccc', preds, labels, [3, 2], true)).toBeCloseTo(1 - 0.052 / 0.075, 6);
    expect(lossOf('ccc', preds, labels, [3, 2])).toBeCloseTo(0.1333333333, 6);
    expect(lossOf('ccc', preds, labels, [3, 2], true)).toBeCloseTo(0.3066666667, 6);
  });

  it('upstreamCompat gives 1/N on identical inputs, population CCC gives 0', () => {
    const x = [[[0.1], [0.5], [-0.2], [0.7]]];
    expect(lossOf('ccc', x, x, [4])).toBeCloseTo(0, 6);
    expect(lossOf('ccc', x, x, [4], true)).toBeCloseTo(1 / 4, 6);
  });

  it('MSE is the square over valid steps only (padding ignored even when huge)', () => {
    const p = [[[1], [2], [1e6]]];
    const l = [[[0], [0], [0]]];
    expect(lossOf('mse', p, l, [2])).toBeCloseTo((1 + 4) / 2, 6);
  });

  it('averages over outputs: two outputs give the mean of their separate losses', () => {
    const p2 = preds.map((s) => s.map(([v]) => [v!, -v!]));
    const l2 = labels.map((s) => s.map(([v]) => [v!, 2 * v!]));
    const a = lossOf('ccc', preds, labels, [3, 2]);
    const b = lossOf('ccc', p2.map((s) => s.map(([, v]) => [v])), l2.map((s) => s.map(([, v]) => [v])), [3, 2]);
    expect(lossOf('ccc', p2, l2, [3, 2])).toBeCloseTo((a + b) / 2, 6);
  });

  it('cross-entropy over valid steps matches −log softmax by hand', () => {
    const logits = [[[2, 0], [0, 1], [5, -5]]];
    const cls = [[[0], [1], [1]]];
    const ce = (z: number[], k: number) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[k]!;
    const expected = (ce([2, 0], 0) + ce([0, 1], 1)) / 2;
    expect(lossOf('ce', logits, cls, [2])).toBeCloseTo(expected, 5);
  });

  it('leaks no tensors, and its gradient is zero at padded steps', () => {
    const before = tf.memory().numTensors;
    const [p, l, m] = [tf.tensor3d(preds), tf.tensor3d(labels), lengthMask([3, 2], 3)];
    const g = tf.grad((x: tf.Tensor) => sequenceLoss('ccc', l, x, m))(p);
    const grad = g.arraySync() as number[][][];
    expect(grad[1]![2]![0]).toBe(0);
    expect(Math.abs(grad[0]![0]![0]!)).toBeGreaterThan(0);
    tf.dispose([p, l, m, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad shapes and empty masks with clear errors', () => {
    tf.tidy(() => {
      const t = tf.zeros([2, 3, 1]);
      expect(() => sequenceLoss('mse', t, tf.zeros([2, 3, 2]), lengthMask([3, 2], 3))).toThrow(/differ in shape/);
      expect(() => validRows(t, tf.ones([2, 4]))).toThrow(/mask has shape \[2,4\]/);
      expect(() => validRows(t, tf.zeros([2, 3]))).toThrow(/selects no step/);
      expect(() => lengthMask([4], 3)).toThrow(/length 4 of sequence 0/);
      expect(() => sequenceLoss('nope' as 'mse', t, t, tf.ones([2, 3]))).toThrow(/loss must be one of ccc, mse, ce/);
    });
  });
});
