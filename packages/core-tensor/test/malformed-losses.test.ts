/**
 * Malformed inputs to the core losses: integer labels outside [0, K) or not integers (a NaN loss, checked on the
 * device, which train() stops at with a named error, where an all-zero target row used to give a finite, wrong
 * loss), bad label
 * smoothing, mismatched shapes, and cccLoss weights that are all zero (0 with zero gradient, not NaN).
 */
import { beforeAll, expect } from 'vitest';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { cccLoss, crossEntropyLoss, initBackend, tf } from '../src/index.js';

const numTensors = () => tf.memory().numTensors;
beforeAll(async () => {
  await initBackend('cpu');
});

/** crossEntropyLoss of `labels` (as `dtype`) against [N, K] logits, read back; all tensors disposed. */
const ce = (labels: number[], k: number, dtype: 'int32' | 'float32' = 'int32', smoothing?: number) => () =>
  tf.tidy(() => {
    const logits = tf.tensor2d(Array.from({ length: labels.length * k }, (_, i) => Math.sin(i)), [labels.length, k]);
    return crossEntropyLoss(tf.tensor1d(labels, dtype), logits, smoothing === undefined ? {} : { labelSmoothing: smoothing }).dataSync()[0];
  });

const labelCases: MalformedCase[] = [];
for (const dtype of ['int32', 'float32'] as const) {
  for (const [labels, k, at, bad] of [
    [[-1, 0, 1], 3, 0, -1],
    [[0, 3, 1], 3, 1, 3],
    [[0, 1, 2, 9], 3, 3, 9],
    [[5], 5, 0, 5],
    [[0, 1, 1, -7], 2, 3, -7],
    [[1000000], 10, 0, 1000000],
  ] as [number[], number, number, number][]) {
    labelCases.push({ name: `${dtype} label ${bad} at index ${at} with K = ${k}`, run: ce(labels, k, dtype), ok: (v) => expect(v).toBeNaN() });
  }
}
for (const [labels, bad, at] of [[[0.5, 1], 0.5, 0], [[1, 2.25], 2.25, 1], [[NaN, 0], NaN, 0], [[0, Infinity], Infinity, 1]] as [number[], number, number][]) {
  labelCases.push({ name: `float32 label ${bad} at index ${at} (not an integer)`, run: ce(labels, 3, 'float32'), ok: (v) => expect(v).toBeNaN() });
}
labelCases.push(
  { name: 'labels at both ends of [0, K) are fine', run: ce([0, 4, 2], 5), ok: (v) => expect(Number.isFinite(v)).toBe(true) },
  {
    name: 'integer labels [N, T] against [N, T, K] logits, one out of range',
    run: () => tf.tidy(() => crossEntropyLoss(tf.tensor2d([[0, 1], [2, 3]], [2, 2], 'int32'), tf.zeros([2, 2, 3])).dataSync()[0]),
    ok: (v) => expect(v).toBeNaN(),
  },
  ...[-0.1, 1, 1.5, NaN].map((eps): MalformedCase => ({ name: `labelSmoothing ${eps}`, run: ce([0, 1], 2, 'int32', eps), error: `labelSmoothing must be in [0, 1), got ${eps}` })),
  { name: 'one-hot labels of another shape', run: () => tf.tidy(() => crossEntropyLoss(tf.zeros([2, 4]), tf.zeros([2, 3]))), error: 'one-hot labels has shape [2,4] but logits has [2,3]' },
  { name: 'integer labels of another length', run: () => tf.tidy(() => crossEntropyLoss(tf.zeros([3], 'int32'), tf.zeros([2, 3]))), error: 'integer labels have shape [3] but logits [2,3]' },
  { name: 'empty logits', run: () => tf.tidy(() => crossEntropyLoss(tf.zeros([0], 'int32'), tf.zeros([0, 3]))), error: 'logits has shape [0,3]' },
);

/** cccLoss with `weights` and its gradient with respect to yPred, read back. */
const ccc = (n: number, d: number, weights: number[]) => () =>
  tf.tidy(() => {
    const yTrue = tf.tensor2d(Array.from({ length: n * d }, (_, i) => Math.cos(i)), [n, d]);
    const yPred = tf.tensor2d(Array.from({ length: n * d }, (_, i) => Math.sin(i)), [n, d]);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => cccLoss(yTrue, p, tf.tensor1d(weights)))(yPred);
    return { loss: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
  });
const cccCases: MalformedCase[] = [
  ...[[1, 1], [4, 2], [16, 3], [7, 1]].map(([n, d]): MalformedCase => ({
    name: `cccLoss: ${n}×${d} with all weights 0 is 0 with zero gradient`,
    run: ccc(n!, d!, new Array<number>(n!).fill(0)),
    ok: (r) => {
      const { loss, grad } = r as { loss: number; grad: number[] };
      expect(loss).toBe(0);
      expect(grad.every((g) => g === 0)).toBe(true);
    },
  })),
  {
    name: 'cccLoss: weights 1 are the unweighted loss',
    run: () => [ccc(5, 2, [1, 1, 1, 1, 1])(), tf.tidy(() => cccLoss(tf.tensor2d(Array.from({ length: 10 }, (_, i) => Math.cos(i)), [5, 2]), tf.tensor2d(Array.from({ length: 10 }, (_, i) => Math.sin(i)), [5, 2])).dataSync()[0])],
    ok: (r) => {
      const [weighted, plain] = r as [{ loss: number }, number];
      expect(weighted.loss).toBeCloseTo(plain, 6);
    },
  },
  { name: 'cccLoss: one weight per element instead of per row', run: ccc(3, 2, [1, 1, 1, 1, 1, 1]), error: 'cccLoss: weights has shape [6], expected one weight per row of yTrue [3,2]' },
  { name: 'cccLoss: yTrue and yPred of different shapes', run: () => tf.tidy(() => cccLoss(tf.zeros([3, 2]), tf.zeros([2, 3]))), error: 'cccLoss: yTrue has shape [3,2] but yPred has [2,3]' },
];

describeMalformed('core losses: crossEntropyLoss labels', labelCases, { numTensors });
describeMalformed('core losses: cccLoss weights', cccCases, { numTensors });
