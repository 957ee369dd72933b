/**
 * The 'onednn' backend's kernels (the @facelab/onednn addon) against the cpu backend on random inputs (< 1e-4
 * relative error), counting the addon's calls to show which kernels ran there and which fell back to
 * 'onnxruntime''s. Skipped, with the reason, where the addon is not built (no libdnnl-dev at install).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { addonPath, loadOneDnn } from '@facelab/onednn';
import { batchNormTraining, initBackend, tf } from '../src/index.js';
import { env, Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';
import { convCases, convGradCase, convLabel, FUSED_ACTIVATIONS, fusedConvCase, outputsOn } from './kernel-cases.js';

const built = existsSync(addonPath());
if (!built) console.log(`onednn-kernels: skipped: ${(() => { try { loadOneDnn(); return ''; } catch (e) { return (e as Error).message; } })()}`);

/** Max relative error of `f` on 'onednn' against cpu, and how many addon calls it made. */
async function compare(f: () => tf.Tensor | tf.Tensor[]): Promise<{ err: number; calls: number }> {
  const want = await outputsOn('cpu', f);
  const before = loadOneDnn().info().calls;
  const got = await outputsOn('onednn', f);
  return { err: Math.max(...got.map((g, i) => relErr(g, want[i]!))), calls: loadOneDnn().info().calls - before };
}

afterAll(async () => {
  if (built) await initBackend('cpu');
});

describe.skipIf(!built)('onednn kernels against cpu', () => {
  it.each(convCases)('Conv2D and both gradients, $x $k $strides $pad', async (c) => {
    const { err, calls } = await compare(convGradCase(c, 3));
    expect(err, convLabel(c)).toBeLessThan(1e-4);
    expect(calls, convLabel(c)).toBe(4); // y, the forward inside tf.grads, dx and dW
  });

  it('dilated Conv2D and its gradients (forward convolutions at dilation 2×3)', async () => {
    const rng = new Rng(3);
    const xv = randn(rng, [2, 11, 9, 3]);
    const wv = randn(rng, [3, 2, 3, 4]);
    const { err, calls } = await compare(() => {
      const x = tf.tensor4d(xv, [2, 11, 9, 3]);
      const w = tf.tensor4d(wv, [3, 2, 3, 4]);
      const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', 'NHWC', [2, 3]);
      const [dx, dw] = tf.grads((a, b) => conv(a, b).square().sum())([x, w]);
      return [conv(x, w), dx!, dw!];
    });
    expect(err).toBeLessThan(1e-4);
    expect(calls).toBe(4);
  });

  it.each(FUSED_ACTIVATIONS)('FusedConv2D with bias and %s', async (activation) => {
    const { err, calls } = await compare(fusedConvCase(activation, 0.5));
    expect(err).toBeLessThan(1e-4);
    expect(calls).toBe(activation === 'prelu' ? 0 : 1); // PReLU has no oneDNN post-op here: 'onnxruntime' runs it
  });

  it("a bias that is not one value per channel falls back to 'onnxruntime'", async () => {
    const minFlops = env.ortMinFlops;
    env.ortMinFlops = 0; // tiny problem: onto ORT (wasm's FusedConv2D takes rank-1 biases only)
    const rng = new Rng(12);
    const xv = randn(rng, [1, 5, 5, 2]);
    const wv = randn(rng, [3, 3, 2, 3]);
    const bv = randn(rng, [5, 5, 3]);
    const { err, calls } = await compare(() =>
      tf.fused.conv2d({ x: tf.tensor4d(xv, [1, 5, 5, 2]), filter: tf.tensor4d(wv, [3, 3, 2, 3]), strides: 1, pad: 'same', bias: tf.tensor3d(bv, [5, 5, 3]) }),
    );
    env.ortMinFlops = minFlops;
    expect(err).toBeLessThan(1e-4);
    expect(calls).toBe(0);
  });

  it.each([
    { x: [2, 9, 7, 3], size: 3, strides: 2, pad: 'valid' as const },
    { x: [2, 9, 7, 3], size: 3, strides: 2, pad: 'same' as const },
    { x: [1, 8, 11, 4], size: 2, strides: 2, pad: 'valid' as const },
    { x: [3, 10, 6, 2], size: 3, strides: 1, pad: 'same' as const },
  ])('MaxPoolGrad on $x, window $size, stride $strides, $pad (non-square: the shipped wasm kernel got these wrong)', async (c) => {
    const xv = randn(new Rng(c.x[1]! * 13 + c.size), c.x);
    const { err, calls } = await compare(() => {
      const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
      const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad);
      const y = pool(x);
      const dy = tf.cos(tf.range(0, y.size).reshape(y.shape));
      return [y, tf.grad((a: tf.Tensor) => pool(a).mul(dy).sum())(x)];
    });
    expect(err).toBeLessThan(1e-6);
    expect(calls).toBe(1);
  });

  it('batch norm forward and gradient (every rank, channels last) against cpu', async () => {
    for (const shape of [[4, 5, 3, 6], [3, 7, 5], [9, 8]]) {
      const rng = new Rng(shape.length);
      const c = shape.at(-1)!;
      const xv = randn(rng, shape).map((v, i) => 2 + v * (1 + (i % c)));
      const [gv, bv, pv] = [randn(rng, [c]), randn(rng, [c]), randn(rng, shape)];
      const { err, calls } = await compare(() => {
        const [x, g, b] = [tf.tensor(xv, shape), tf.tensor1d(gv), tf.tensor1d(bv)];
        const bn = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => batchNormTraining(a, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-3);
        const r = bn(x, g, b);
        const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(bn(a, gg, bb).y, tf.tensor(pv, shape))))([x, g, b]);
        return [r.y, r.mean, r.variance, ...grads];
      });
      expect(err, `[${shape}]`).toBeLessThan(1e-4);
      expect(calls, `[${shape}]`).toBe(3); // forward twice (r and inside tf.grads), gradient once
    }
  });

  it.each([
    { alpha: [1, 1, 5], calls: 1 },
    { alpha: [5], calls: 1 },
    { alpha: [4, 6, 5], calls: 0 }, // a slope per pixel and channel: tfjs-core's gradient ops
  ])('PReLU gradient with alpha $alpha (x has zeros: they take the slope, as tfjs has it)', async ({ alpha, calls: want }) => {
    const rng = new Rng(alpha.length);
    const xv = randn(rng, [3, 4, 6, 5]).map((v, i) => (i % 7 === 0 ? 0 : v));
    const [av, pv] = [randn(rng, alpha).map((v) => 0.25 + 0.1 * v), randn(rng, [3, 4, 6, 5])];
    const { err, calls } = await compare(() => {
      const [x, a] = [tf.tensor4d(xv, [3, 4, 6, 5]), tf.tensor(av, alpha)];
      return tf.grads((xx: tf.Tensor, aa: tf.Tensor) => tf.sum(tf.mul(tf.prelu(xx, aa), tf.tensor(pv, [3, 4, 6, 5]))))([x, a]);
    });
    expect(err).toBeLessThan(1e-5);
    expect(calls).toBe(want);
  });

  it.each([
    { a: [4, 6], b: [6, 5], ta: false, tb: false, calls: 1 },
    { a: [6, 4], b: [6, 5], ta: true, tb: false, calls: 1 },
    { a: [4, 6], b: [5, 6], ta: false, tb: true, calls: 1 },
    { a: [3, 6, 4], b: [3, 5, 6], ta: true, tb: true, calls: 1 },
    { a: [3, 4, 6], b: [1, 6, 5], ta: false, tb: false, calls: 1 },
    { a: [2, 3, 4, 6], b: [6, 5], ta: false, tb: false, calls: 1 }, // tfjs folds the batch axes into one
  ])('BatchMatMul $a × $b (transposes $ta $tb)', async ({ a, b, ta, tb, calls: want }) => {
    const rng = new Rng(a.length * 10 + b[0]!);
    const [av, bv] = [randn(rng, a), randn(rng, b)];
    const { err, calls } = await compare(() => tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), ta, tb));
    expect(err).toBeLessThan(1e-5);
    expect(calls).toBe(want);
  });

  it('a training step of a conv layer leaves no tensors behind and gives the same gradients twice', async () => {
    await initBackend('onednn');
    const x = tf.tensor4d(randn(new Rng(4), [2, 9, 9, 3]), [2, 9, 9, 3]);
    const w = tf.variable(tf.tensor4d(randn(new Rng(5), [3, 3, 3, 6]), [3, 3, 3, 6]));
    const step = () => tf.tidy(() => tf.grads((a: tf.Tensor) => tf.relu(tf.conv2d(x, a as tf.Tensor4D, 2, 'same')).sum())([w])[0]!.dataSync());
    step();
    const n0 = tf.memory().numTensors;
    const first = step();
    expect(step()).toEqual(first);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, w]);
  });
});

describe.skipIf(!built)('the addon', () => {
  it('names a wrong-sized array in one line', () => {
    const addon = loadOneDnn();
    const geometry = Int32Array.from([1, 4, 4, 2, 3, 3, 5, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1]);
    const x = new Float32Array(32);
    expect(() => addon.convForward(geometry, x, new Float32Array(89), null, new Float32Array(80), 0, 0)).toThrow('filter: expected 90 values, got 89');
    expect(() => addon.convBackwardData(geometry.subarray(1), x, x, x)).toThrow('geometry: expected an Int32Array of 17 values');
    expect(() => addon.convForward(geometry, x, new Float32Array(90), null, new Float32Array(80), 9, 0)).toThrow(/unknown activation 9/);
  });
});
