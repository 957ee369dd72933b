/**
 * Malformed inputs to AffWildNet's training path: masks that leave no real frame (the losses are 0 with zero
 * gradient, never NaN), mismatched shapes, bad window lengths for splitSequence, and bad fitAffect options and
 * failures — each a one-line error naming the argument or a checked value, with no tensor leaked (the Adam
 * optimizer fitAffect builds included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { splitSequence, type AffWildSequence } from '../src/data/released.js';
import type { ClipSet } from '../src/data/sets.js';
import { fitAffect, type FitAffectOptions } from '../src/train/fit.js';
import { affWildLoss, omgLoss } from '../src/train/losses.js';

const numTensors = () => tf.memory().numTensors;
const root = mkdtempSync(join(tmpdir(), 'facelab-affwild-malformed-'));
beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Deterministic values in [−1, 1) for a [B, T, D] tensor. */
const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) % 1);

/** A loss and the gradient of it with respect to yPred, read back, all tensors disposed. */
function lossAndGradient(fn: typeof affWildLoss, b: number, t: number, d: number, mask: number[][]): { loss: number; grad: number[] } {
  return tf.tidy(() => {
    const yTrue = tf.tensor3d(values(b * t * d, 1), [b, t, d]);
    const yPred = tf.tensor3d(values(b * t * d, 2), [b, t, d]);
    const m = tf.tensor2d(mask);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => fn(yTrue, p, m))(yPred);
    return { loss: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
  });
}

const zeros = (b: number, t: number) => Array.from({ length: b }, () => new Array<number>(t).fill(0));
const SHAPES: [number, number, number][] = [[1, 1, 2], [2, 3, 2], [4, 8, 2], [3, 5, 1], [2, 4, 3]];

const emptyMaskCases: MalformedCase[] = [];
for (const [name, fn] of [['affWildLoss', affWildLoss], ['omgLoss', omgLoss]] as const) {
  for (const [b, t, d] of SHAPES) {
    emptyMaskCases.push({
      name: `${name}: all-zero mask on [${b}, ${t}, ${d}] is 0 with zero gradient`,
      run: () => lossAndGradient(fn, b, t, d, zeros(b, t)),
      ok: (r) => {
        const { loss, grad } = r as { loss: number; grad: number[] };
        expect(loss).toBe(0);
        expect(grad.every((g) => g === 0)).toBe(true);
      },
    });
  }
}

// omgLoss with one sequence fully masked: the same as the loss of the other sequences alone.
for (const [b, masked] of [[3, 0], [3, 1], [3, 2], [4, 3], [5, 2]] as const) {
  emptyMaskCases.push({
    name: `omgLoss: sequence ${masked} of ${b} fully masked is left out`,
    run: () =>
      tf.tidy(() => {
        const t = 4;
        const yTrue = tf.tensor3d(values(b * t * 2, 3), [b, t, 2]);
        const yPred = tf.tensor3d(values(b * t * 2, 4), [b, t, 2]);
        const mask = tf.tensor2d(Array.from({ length: b }, (_, i) => new Array<number>(t).fill(i === masked ? 0 : 1)));
        const keep = tf.tensor1d(Array.from({ length: b - 1 }, (_, i) => (i < masked ? i : i + 1)), 'int32');
        const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => omgLoss(yTrue, p, mask))(yPred);
        const alone = omgLoss(tf.gather(yTrue, keep), tf.gather(yPred, keep)).dataSync()[0]!;
        return { loss: value.dataSync()[0]!, alone, grad: Array.from(grad.dataSync()) };
      }),
    ok: (r) => {
      const { loss, alone, grad } = r as { loss: number; alone: number; grad: number[] };
      expect(loss).toBeCloseTo(alone, 5);
      expect(grad.every(Number.isFinite)).toBe(true);
    },
  });
}
// affWildLoss with a partly empty mask keeps its value finite.
emptyMaskCases.push({
  name: 'affWildLoss: one real frame among padding gives a finite loss and gradient',
  run: () => lossAndGradient(affWildLoss, 2, 3, 2, [[0, 0, 1], [0, 0, 0]]),
  ok: (r) => {
    const { loss, grad } = r as { loss: number; grad: number[] };
    expect(Number.isFinite(loss)).toBe(true);
    expect(grad.every(Number.isFinite)).toBe(true);
  },
});

const shapeCases: MalformedCase[] = [];
for (const [name, fn] of [['affWildLoss', affWildLoss], ['omgLoss', omgLoss]] as const) {
  const call = (a: number[], p: number[], m?: number[]) => () =>
    tf.tidy(() => fn(tf.zeros(a), tf.zeros(p), m === undefined ? undefined : tf.zeros(m)).dataSync()[0]);
  shapeCases.push(
    { name: `${name}: yPred [2, 3, 2] against yTrue [2, 4, 2]`, run: call([2, 4, 2], [2, 3, 2]), error: `${name}: yTrue [2,4,2] and yPred [2,3,2]` },
    { name: `${name}: rank-1 inputs`, run: call([4], [4]), error: `${name}: yTrue [4] and yPred [4] must have the same shape` },
    { name: `${name}: yPred with an extra axis`, run: call([2, 3], [2, 3, 1]), error: `${name}: yTrue [2,3] and yPred [2,3,1]` },
    { name: `${name}: mask [2, 4] for T = 3`, run: call([2, 3, 2], [2, 3, 2], [2, 4]), error: `${name}: mask has shape [2,4], expected [B, T] = [2,3]` },
    { name: `${name}: mask [3, 3] for B = 2`, run: call([2, 3, 2], [2, 3, 2], [3, 3]), error: `${name}: mask has shape [3,3]` },
    { name: `${name}: mask of rank 3`, run: call([2, 3, 2], [2, 3, 2], [2, 3, 1]), error: `${name}: mask has shape [2,3,1]` },
  );
}

const SEQ: AffWildSequence = {
  paths: ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'],
  labels: [[0, 0], [0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4]],
  mask: [1, 1, 1, 1, 1],
  sources: ['s.csv:2', 's.csv:3', 's.csv:4', 's.csv:5', 's.csv:6'],
};
const splitCases: MalformedCase[] = [
  ...[['0', 0], ['-1', -1], ['NaN', NaN], ['1.5', 1.5], ['Infinity', Infinity], ['the string "2"', '2']].map(([label, v]): MalformedCase => ({
    name: `splitSequence length ${label}`,
    run: () => splitSequence(SEQ, v as number),
    error: 'splitSequence: length must be a positive integer',
  })),
  { name: "splitSequence remainder 'pad'", run: () => splitSequence(SEQ, 2, 'pad' as 'mask'), error: "splitSequence: remainder must be 'drop' or 'mask', got pad" },
  { name: 'splitSequence length longer than the sequence drops it all', run: () => splitSequence(SEQ, 6), ok: (r) => expect(r).toEqual([]) },
  {
    name: "splitSequence length longer than the sequence with 'mask' pads it",
    run: () => splitSequence(SEQ, 7, 'mask'),
    ok: (r) => expect((r as AffWildSequence[]).map((s) => s.mask)).toEqual([[1, 1, 1, 1, 1, 0, 0]]),
  },
];

/** A tiny clip model [B, 2, 4, 4, 3] → [B, 2, 2] and a 3-clip set for it. */
function tinyModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.timeDistributed({ layer: tf.layers.flatten(), inputShape: [2, 4, 4, 3] }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }) }),
    ],
  });
}
const SET: ClipSet = {
  frames: Float32Array.from(values(3 * 2 * 4 * 4 * 3, 5)),
  labels: Float32Array.from(values(3 * 2 * 2, 6)),
  count: 3,
  length: 2,
  size: 4,
};

/** fitAffect on a fresh tiny model, disposed afterwards; returns the steps done. */
async function fit(options: Partial<FitAffectOptions>, set: ClipSet = SET): Promise<number> {
  const model = tinyModel();
  try {
    return (await fitAffect(model, set, { steps: 2, ...options })).step;
  } finally {
    model.dispose();
  }
}

const fitCases: MalformedCase[] = [
  { name: 'fitAffect: two Aff-Wild steps leak nothing (the Adam optimizer is disposed)', run: () => fit({}), ok: (s) => expect(s).toBe(2) },
  { name: 'fitAffect: two OMG steps leak nothing', run: () => fit({ objective: 'omg' }), ok: (s) => expect(s).toBe(2) },
  {
    name: 'fitAffect: an all-padding set trains on a zero loss',
    run: () => fit({}, { ...SET, mask: new Float32Array(6) }),
    ok: (s) => expect(s).toBe(2),
  },
  {
    name: 'fitAffect: with checkpoints and a resume',
    run: async () => {
      const dir = join(root, 'fit-ckpt');
      await fit({ checkpoint: { dir, every: 1 } });
      return fit({ steps: 3, checkpoint: { dir, every: 1 }, resume: true });
    },
    ok: (s) => expect(s).toBe(3),
  },
  ...[['NaN', NaN], ['0', 0], ['-3', -3], ['2.5', 2.5], ['the string "2"', '2']].map(([label, v]): MalformedCase => ({
    name: `fitAffect: steps ${label}`,
    run: () => fit({ steps: v as number }),
    error: 'train: steps must be a positive integer',
  })),
  ...[['NaN', NaN], ['0', 0], ['-1', -1], ['1.5', 1.5]].map(([label, v]): MalformedCase => ({
    name: `fitAffect: batchSize ${label}`,
    run: () => fit({ batchSize: v as number }),
    error: 'fitAffect: batchSize must be a positive integer',
  })),
  ...[['NaN', NaN], ['0', 0], ['-1e-4', -1e-4], ['Infinity', Infinity], ['the string "abc"', 'abc']].map(([label, v]): MalformedCase => ({
    name: `fitAffect: learningRate ${label}`,
    run: () => fit({ learningRate: v as number }),
    error: 'fitAffect: learningRate must be a finite number > 0',
  })),
  { name: "fitAffect: objective 'foo'", run: () => fit({ objective: 'foo' as 'omg' }), error: 'fitAffect: objective must be one of affwild, omg, frames, got foo' },
  { name: 'fitAffect: checkpoint.every 0', run: () => fit({ checkpoint: { dir: join(root, 'every0'), every: 0 } }), error: 'train: checkpoint.every must be a positive integer' },
  {
    name: 'fitAffect: NaN labels stop with the trainer\'s NonFiniteLossError',
    run: () => fit({}, { ...SET, labels: new Float32Array(12).fill(NaN) }),
    error: 'train: loss is NaN at step 1',
  },
  {
    name: 'fitAffect: a set of another frame size fails in the model, leaking nothing',
    run: () => fit({}, { ...SET, size: 2, frames: new Float32Array(3 * 2 * 2 * 2 * 3) }),
    error: /expected .*shape|Input 0 is incompatible|incompatible/i,
  },
];

describeMalformed('affwildnet losses: masks without real frames', emptyMaskCases, { numTensors });
describeMalformed('affwildnet losses: shapes', shapeCases, { numTensors });
describeMalformed('affwildnet splitSequence', splitCases, { numTensors });
describeMalformed('affwildnet fitAffect', fitCases, { numTensors });
