import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '@facelab/test-utils';
import {
  initBackend,
  readJsonl,
  stepLr,
  tf,
  train,
  type StepContext,
} from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'facelab-trainer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// y = x·w + b on two samples. Hand-computed: predictions [-1.4, 2.6], errors [-2.4, 2.6], loss 6.26,
// dL/dpred = err (2/N with N = 2), dw = Xᵀ·err = [5.4, -7.4], db = 0.2.
const X = [[1, 2], [3, -1]];
const Y = [[1], [0]];
type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };
const batchAt = (): Batch => ({ x: tf.tensor2d(X), y: tf.tensor2d(Y) });
const mse = (b: Batch, w: tf.Variable, bias: tf.Variable) => ({
  loss: tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b.x, w), bias), b.y))) as tf.Scalar,
});
function linear() {
  const w = tf.variable(tf.tensor2d([[0.5], [-1]]));
  const b = tf.variable(tf.tensor1d([0.1]));
  return { w, b, loss: (batch: Batch) => mse(batch, w, b), dispose: () => tf.dispose([w, b]) };
}
const values = (t: tf.Tensor) => Array.from(t.dataSync());
/** Element-wise within half a unit in the `digits`-th decimal place (toBeCloseTo's tolerance). */
const expectNear = (got: number[], want: number[], digits = 6) => expectClose(got, want, { atol: 10 ** -digits / 2 });

describe('train: optimizer arithmetic against hand computation', () => {
  it('two SGD-momentum steps', async () => {
    const m = linear();
    const opt = tf.train.momentum(0.1, 0.9);
    const r = await train({ variables: [m.w, m.b], optimizer: opt, loss: m.loss, batchAt, steps: 2, progress: false });
    // step 1: acc = g, w = w − 0.1·g = [-0.04, -0.26], b = 0.08
    // step 2: err [-1.48, 0.22], g = [-0.82, -3.18 | -1.26], acc = 0.9·acc + g = [4.04, -9.84 | -1.08]
    expectNear(values(m.w), [-0.444, 0.724]);
    expectNear(values(m.b), [0.188]);
    expectNear(r.records.map((x) => x.loss), [6.26, 1.1194], 5);
    expect(r.stopReason).toBe('steps');
    m.dispose();
    opt.dispose();
  });

  it('weight decay g + λw, with a filter', async () => {
    const m = linear();
    await train({ variables: [m.w, m.b], optimizer: tf.train.sgd(0.1), loss: m.loss, batchAt, steps: 1, weightDecay: 0.5, progress: false });
    // dw + 0.5·w = [5.65, -7.9], db + 0.5·b = 0.25
    expectNear(values(m.w), [-0.065, -0.21]);
    expectNear(values(m.b), [0.075]);
    m.dispose();
    const n = linear();
    await train({
      variables: [n.w, n.b], optimizer: tf.train.sgd(0.1), loss: n.loss, batchAt, steps: 1, weightDecay: 0.5,
      weightDecayFilter: (v) => v.rank > 1, progress: false,
    });
    expectNear(values(n.b), [0.08]);
    n.dispose();
  });

  it('clipping by global norm: w − lr·g·c/‖g‖', async () => {
    const m = linear();
    const r = await train({ variables: [m.w, m.b], optimizer: tf.train.sgd(0.1), loss: m.loss, batchAt, steps: 1, clipNorm: 1, progress: false });
    const norm = Math.sqrt(5.4 ** 2 + 7.4 ** 2 + 0.2 ** 2);
    expect(r.records[0]!.metrics.gradNorm).toBeCloseTo(norm, 4);
    expectNear(values(m.w), [0.5 - (0.1 * 5.4) / norm, -1 + (0.1 * 7.4) / norm]);
    expectNear(values(m.b), [0.1 - (0.1 * 0.2) / norm]);
    m.dispose();
  });

  it('clipping only the variables clipNormFilter selects: norm over them, the rest unscaled', async () => {
    const m = linear();
    const r = await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.1), loss: m.loss, batchAt, steps: 1, clipNorm: 1,
      clipNormFilter: (v) => v === m.w, progress: false,
    });
    const norm = Math.hypot(5.4, 7.4);
    expect(r.records[0]!.metrics.gradNorm).toBeCloseTo(norm, 4);
    expectNear(values(m.w), [0.5 - (0.1 * 5.4) / norm, -1 + (0.1 * 7.4) / norm]);
    expectNear(values(m.b), [0.1 - 0.1 * 0.2]);
    m.dispose();
  });

  it('sets the learning rate from a schedule each step', async () => {
    const m = linear();
    const opt = tf.train.adam(1);
    const r = await train({ variables: [m.w, m.b], optimizer: opt, lr: stepLr({ lr: 0.1, gamma: 0.5, every: 1 }), loss: m.loss, batchAt, steps: 3, progress: false });
    expect(r.records.map((x) => x.lr)).toEqual([0.1, 0.05, 0.025]);
    m.dispose();
    // Adam's first step moves each weight by lr·sign(g) (bias-corrected m/√v = ±1): w = [0.5−0.1, −1+0.1]
    const n = linear();
    await train({ variables: [n.w, n.b], optimizer: tf.train.adam(1), lr: 0.1, loss: n.loss, batchAt, steps: 1, progress: false });
    expectNear(values(n.w), [0.4, -0.9], 5);
    n.dispose();
    opt.dispose();
  });
});

describe('train: custom steps, validation, logs', () => {
  it('runs a custom step with two optimizers (GAN-style), each on its own variables', async () => {
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(2));
    const seen: number[] = [];
    const r = await train({
      variables: [a, b],
      optimizer: { gen: tf.train.sgd(0.1), disc: tf.train.sgd(0.5) },
      batchAt: () => 0,
      steps: 1,
      progress: false,
      step: (_batch, ctx: StepContext) => {
        const d = ctx.minimize(() => ({ loss: tf.square(b) as tf.Scalar }), { optimizer: 'disc', variables: [b] });
        const g = ctx.minimize(() => ({ loss: tf.square(a) as tf.Scalar, metrics: { twice: tf.mul(a, 2) as tf.Scalar } }), {
          optimizer: 'gen',
          variables: [a],
        });
        seen.push(d.loss, g.metrics.twice!);
        return { loss: g.loss, metrics: { d: d.loss } };
      },
    });
    expect(seen).toEqual([4, 2]);
    expect(a.dataSync()[0]).toBeCloseTo(1 - 0.1 * 2, 6); // d(a²)/da = 2
    expect(b.dataSync()[0]).toBeCloseTo(2 - 0.5 * 4, 6);
    expect(r.records[0]).toMatchObject({ loss: 1, metrics: { d: 4 }, lr: { gen: 0.1, disc: 0.5 } });
    tf.dispose([a, b]);
  });

  it('stops early after `patience` validations without improvement (min and max)', async () => {
    const scores = [5, 4, 4.5, 4.2, 3, 2];
    const m = linear();
    const improvements: boolean[] = [];
    const r = await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.001), loss: m.loss, batchAt, steps: 6, progress: false,
      validation: { every: 1, run: ({ step }) => ({ loss: scores[step - 1]! }), patience: 2 },
      callbacks: { onValidation: (_v, improved) => void improvements.push(improved) },
    });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.step).toBe(4);
    expect(r.best).toEqual({ value: 4, step: 2 });
    expect(improvements).toEqual([true, true, false, false]);
    const acc = [0.5, 0.7, 0.705, 0.9];
    const s = await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.001), loss: m.loss, batchAt, steps: 4, progress: false,
      validation: { every: 2, run: ({ step }) => ({ loss: 0, acc: acc[step - 1]! }), monitor: 'acc', mode: 'max', minDelta: 0.01, patience: 1 },
    });
    // validations at steps 2 (0.7, improves) and 4 (0.9, improves): no stop
    expect(s.stopReason).toBe('steps');
    expect(s.best).toEqual({ value: 0.9, step: 4 });
    m.dispose();
  });

  it('stops when a callback asks, and runs epochs over an array', async () => {
    const m = linear();
    const epochs: number[] = [];
    const data = [batchAt(), batchAt(), batchAt()];
    const r = await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.001), loss: m.loss, data, epochs: 2, progress: false,
      callbacks: { onEpochEnd: (e) => void epochs.push(e) },
    });
    expect(r).toMatchObject({ step: 6, epoch: 2, stopReason: 'epochs' });
    expect(epochs).toEqual([0, 1]);
    expect(data[0]!.x.isDisposed).toBe(false); // arrays are reused, not disposed
    const q = await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.001), loss: m.loss, data, epochs: 5, progress: false,
      callbacks: { onStepEnd: (rec, c) => (rec.step === 2 ? c.stop() : undefined) },
    });
    expect(q).toMatchObject({ step: 2, stopReason: 'requested' });
    tf.dispose(data);
    m.dispose();
  });

  it('writes one JSONL line per step and a PNG of the curves', async () => {
    const m = linear();
    const log = join(dir, 'log.jsonl');
    const curves = join(dir, 'curves.png');
    const r = await train({
      variables: [m.w, m.b], optimizer: tf.train.momentum(0.1, 0.9), loss: m.loss, batchAt, steps: 3, progress: false,
      lr: stepLr({ lr: 0.1, gamma: 0.1, every: 2 }), log, curves,
      validation: { every: 3, run: () => ({ val_loss: 0.5 }) },
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines.length).toBe(3);
    const recs = readJsonl(log);
    expect(recs.map((x) => x.step)).toEqual([1, 2, 3]);
    expect(recs.map((x) => x.epoch)).toEqual([0, 0, 0]);
    expect(recs.map((x) => x.lr)).toEqual([0.1, 0.1, 0.010000000000000002]);
    expectNear(recs.slice(0, 2).map((x) => x.loss), [6.26, 1.1194], 5);
    expect(recs.map((x) => x.loss)).toEqual(r.records.map((x) => x.loss));
    for (const x of recs) expect(x.time).toBeGreaterThanOrEqual(0);
    expect(recs[1]!.time).toBeGreaterThanOrEqual(recs[0]!.time);
    expect(recs[2]!.val).toEqual({ val_loss: 0.5 });
    expect(recs[0]!.val).toBeUndefined();
    const png = await readFile(curves);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const meta = await sharp(png).metadata();
    expect(meta.width).toBeGreaterThan(500);
    m.dispose();
  });

  it('reports progress as plain lines when the stream is not a TTY', async () => {
    const m = linear();
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), { isTTY: false });
    await train({
      variables: [m.w, m.b], optimizer: tf.train.sgd(0.01), loss: m.loss, batchAt, steps: 3,
      progress: { stream, intervalMs: 0, label: 'lin' },
    });
    const lines = chunks.join('').trim().split('\n');
    expect(lines.length).toBe(4);
    expect(lines[0]).toMatch(/^lin step 1\/3 loss=6\.260 lr=0\.01000 [\d.]+ step\/s ETA /);
    expect(lines[3]).toMatch(/^lin done 3\/3 /);
    m.dispose();
  });

  it('leaks no tensors over 50 steps (plain fit with clipping, decay and metrics; custom step)', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    });
    const opt = tf.train.adam(0.01);
    const fit = (steps: number) =>
      train({
        model, optimizer: opt, steps, progress: false, clipNorm: 1, weightDecay: 1e-4,
        batchAt: (s) => ({ x: tf.randomNormal([8, 4], 0, 1, 'float32', s), y: tf.ones([8, 1]) }),
        loss: (b: { x: tf.Tensor; y: tf.Tensor }) => {
          const p = model.apply(b.x) as tf.Tensor;
          return { loss: tf.losses.meanSquaredError(b.y, p) as tf.Scalar, metrics: { mean: tf.mean(p) as tf.Scalar } };
        },
      });
    await fit(1); // Adam creates its slot variables on the first step
    const before = tf.memory().numTensors;
    await fit(50);
    expect(tf.memory().numTensors).toBe(before);
    const custom = await train({
      model, optimizer: opt, steps: 50, progress: false, batchAt: () => tf.ones([2, 4]),
      step: (x: tf.Tensor, ctx) => ctx.minimize(() => ({ loss: tf.mean(model.apply(x) as tf.Tensor) as tf.Scalar })),
    });
    expect(custom.step).toBe(50);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    opt.dispose();
  });

  it('rejects contradictory options with a clear message', async () => {
    const m = linear();
    await expect(train({ variables: [m.w], optimizer: tf.train.sgd(1), batchAt, steps: 1 })).rejects.toThrow(/exactly one of `loss` and `step`/);
    await expect(train({ variables: [m.w], optimizer: tf.train.sgd(1), loss: m.loss, steps: 1 })).rejects.toThrow(/exactly one of `batchAt` and `data`/);
    await expect(
      train({ variables: [m.w], optimizer: tf.train.sgd(1), loss: m.loss, batchAt, steps: 1, resume: true }),
    ).rejects.toThrow(/needs `checkpoint.dir`/);
    m.dispose();
  });
});
