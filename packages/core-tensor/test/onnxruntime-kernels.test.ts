/**
 * The 'onnxruntime' backend's kernels against the cpu backend on random inputs (< 1e-4 relative error), on
 * tiny shapes forced onto ORT (env.ortMinFlops = 0), and the wasm kernels restored by initBackend('wasm').
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';
import { env, onnxRuntimeStats, Rng } from '@facelab/runtime';
import { im2colLimits } from '../src/backend/kernels/onnxruntime/im2col.js';
import { randn, relErr } from '@facelab/test-utils';
import { convCases, convGradCase, convLabel as label, FUSED_ACTIVATIONS, fusedConvCase, outputsOn } from './kernel-cases.js';

/** Both ways a convolution runs on ORT: im2col + MatMul (small maps), ORT's Conv (limits set to 0). */
const paths = [
  { path: 'im2col', limits: { maxPixels: 1024 } },
  { path: 'Conv', limits: { maxPixels: 0 } },
];

/** Max relative error of `f`'s outputs on onnxruntime against cpu, and how many graphs ORT ran. */
async function compare(f: () => tf.Tensor | tf.Tensor[]): Promise<{ err: number; runs: number }> {
  const want = await outputsOn('cpu', f);
  const before = onnxRuntimeStats().runs;
  const got = await outputsOn('onnxruntime', f);
  return { err: Math.max(...got.map((g, i) => relErr(g, want[i]!))), runs: onnxRuntimeStats().runs - before };
}

const ORT_MIN_FLOPS = env.ortMinFlops;
beforeAll(async () => {
  env.ortMinFlops = 0;
});
afterAll(async () => {
  env.ortMinFlops = ORT_MIN_FLOPS;
  await initBackend('cpu');
});

describe('onnxruntime kernels against cpu', () => {
  it.each(paths.flatMap(({ path, limits }) => convCases.map((c) => ({ ...c, path, limits }))))('Conv2D and both gradients by $path, $x $k $strides', async (c) => {
    Object.assign(im2colLimits, c.limits);
    const { err, runs } = await compare(convGradCase(c, 7));
    Object.assign(im2colLimits, paths[0]!.limits);
    expect(err, label(c)).toBeLessThan(1e-4);
    expect(runs, label(c)).toBe(4); // y, the forward inside tf.grads, dx and dW all ran on ORT
  });

  it('dilated Conv2D forward', async () => {
    const rng = new Rng(3);
    const xv = randn(rng, [2, 11, 9, 3]);
    const wv = randn(rng, [3, 2, 3, 4]);
    const { err } = await compare(() => tf.conv2d(tf.tensor4d(xv, [2, 11, 9, 3]), tf.tensor4d(wv, [3, 2, 3, 4]), 1, 'same', 'NHWC', [2, 3]));
    expect(err).toBeLessThan(1e-4);
  });

  it.each(
    FUSED_ACTIVATIONS.flatMap((activation) =>
      paths.map(({ path, limits }) => ({ activation, path, limits })),
    ),
  )('FusedConv2D with bias and $activation by $path', async ({ activation, limits }) => {
    Object.assign(im2colLimits, limits);
    const { err, runs } = await compare(fusedConvCase(activation));
    Object.assign(im2colLimits, paths[0]!.limits);
    expect(err).toBeLessThan(1e-4);
    expect(runs).toBe(1);
  });

  it.each([
    { a: [4, 6], b: [6, 5], ta: false, tb: false },
    { a: [6, 4], b: [6, 5], ta: true, tb: false },
    { a: [4, 6], b: [5, 6], ta: false, tb: true },
    { a: [3, 6, 4], b: [3, 5, 6], ta: true, tb: true },
    { a: [3, 4, 6], b: [1, 6, 5], ta: false, tb: false },
  ])('BatchMatMul $a × $b (transposes $ta $tb)', async ({ a, b, ta, tb }) => {
    const rng = new Rng(a.length * 10 + b[0]!);
    const av = randn(rng, a);
    const bv = randn(rng, b);
    const { err, runs } = await compare(() => tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), ta, tb));
    expect(err).toBeLessThan(1e-4);
    expect(runs).toBe(1);
  });

  it('_FusedMatMul with bias and relu, and a dense layer gradient', async () => {
    const rng = new Rng(5);
    const av = randn(rng, [7, 9]);
    const bv = randn(rng, [9, 4]);
    const cv = randn(rng, [4]);
    const f = () => {
      const [a, b, c] = [tf.tensor2d(av, [7, 9]), tf.tensor2d(bv, [9, 4]), tf.tensor1d(cv)];
      const y = tf.fused.matMul({ a, b, bias: c, activation: 'relu' });
      const [da, db] = tf.grads((p, q) => tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: c, activation: 'relu' }).square().sum())([a, b]);
      return [y, da!, db!];
    };
    const { err } = await compare(f);
    expect(err).toBeLessThan(1e-4);
  });
});

describe('onnxruntime reductions against cpu', () => {
  it.each([
    { axis: [0, 1, 2], keepDims: false, ort: 1 },
    { axis: [0, 1, 2], keepDims: true, ort: 1 },
    { axis: [1], keepDims: false, ort: 1 },
    { axis: [2, 3], keepDims: false, ort: 0 }, // innermost: left to wasm
  ])('Sum and Mean over $axis (keepDims $keepDims)', async ({ axis, keepDims, ort }) => {
    const xv = randn(new Rng(9), [3, 5, 4, 6]);
    const { err, runs } = await compare(() => {
      const x = tf.tensor4d(xv, [3, 5, 4, 6]);
      return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
    });
    expect(err).toBeLessThan(1e-5);
    expect(runs).toBe(2 * ort);
  });
});

describe('switching between onnxruntime and wasm', () => {
  it('initBackend("wasm") restores the wasm kernels; ORT calls leak no tensors', async () => {
    const x = () => tf.ones([1, 6, 6, 2]);
    await initBackend('onnxruntime');
    const n0 = tf.memory().numTensors;
    const r0 = onnxRuntimeStats().runs;
    for (let i = 0; i < 20; i++) tf.tidy(() => tf.conv2d(x() as tf.Tensor4D, tf.ones([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same').dataSync());
    expect(onnxRuntimeStats().runs - r0).toBe(20);
    expect(tf.memory().numTensors).toBe(n0);
    await initBackend('wasm');
    const r1 = onnxRuntimeStats().runs;
    const y = tf.tidy(() => tf.conv2d(x() as tf.Tensor4D, tf.ones([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same').dataSync());
    expect(onnxRuntimeStats().runs).toBe(r1);
    expect(y[0]).toBe(8); // corner: 2×2 taps inside × 2 channels
  });
});

describe('onnxruntime outputs', () => {
  it("a Conv2D's output is written into the wasm heap and leaves no output-sized ArrayBuffer behind", async () => {
    // onnxruntime-node 1.30 returns a copy of every output besides writing the wasm tensor (issue #23):
    // @facelab/runtime's runGraph frees it before the kernel returns.
    await initBackend('onnxruntime');
    const shape: [number, number, number, number] = [1, 96, 96, 64]; // a 2.25 MiB output
    const x = tf.ones(shape) as tf.Tensor4D;
    const w = tf.ones([3, 3, 64, 64]) as tf.Tensor4D;
    tf.tidy(() => tf.conv2d(x, w, 1, 'same')).dispose(); // the session and the wasm heap grow once
    const n0 = tf.memory().numTensors;
    const r0 = onnxRuntimeStats().runs;
    const b0 = process.memoryUsage().arrayBuffers;
    const y = tf.conv2d(x, w, 1, 'same');
    const grown = process.memoryUsage().arrayBuffers - b0;
    expect(onnxRuntimeStats().runs - r0).toBe(1);
    expect(grown).toBeLessThan((96 * 96 * 64 * 4) / 2);
    const corner = tf.tidy(() => y.slice([0, 0, 0, 0], [1, 1, 1, 1]));
    const inner = tf.tidy(() => y.slice([0, 5, 7, 3], [1, 1, 1, 1]));
    expect(corner.dataSync()[0]).toBe(4 * 64); // 2×2 taps inside × 64 channels of ones
    expect(inner.dataSync()[0]).toBe(9 * 64);
    tf.dispose([y, corner, inner]);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, w]);
  });
});
