import { existsSync } from 'node:fs';
import { addonPath, loadOneDnn } from '@facelab/onednn';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';
import { env, onnxRuntimeStats, Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';

/** Parameter shapes of a small CNN: conv → BN → leaky ReLU → max pool → depthwise → strided conv → avg pool → dense. */
const shapes: Record<string, number[]> = {
  conv1: [3, 3, 3, 8],
  gamma: [8],
  beta: [8],
  dw: [3, 3, 8, 1],
  conv2: [3, 3, 8, 8],
  dense: [8, 3],
  biasD: [3],
};
const names = Object.keys(shapes);

function init(seed: number): Record<string, Float32Array> {
  const rng = new Rng(seed);
  const out: Record<string, Float32Array> = {};
  for (const n of names) {
    const v = randn(rng, shapes[n]!);
    const fanIn = shapes[n]!.slice(0, -1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < v.length; i++) v[i] = n === 'gamma' ? 1 + 0.1 * v[i]! : v[i]! / Math.sqrt(fanIn);
    out[n] = v;
  }
  return out;
}

function loss(p: Record<string, tf.Tensor>, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  // No bias before batch norm: its gradient is zero up to rounding, so a relative comparison means nothing.
  let h: tf.Tensor4D = tf.conv2d(x, p.conv1 as tf.Tensor4D, 1, 'same');
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  h = tf.batchNorm(h, mean, variance, p.beta as tf.Tensor1D, p.gamma as tf.Tensor1D, 1e-3) as tf.Tensor4D;
  h = tf.leakyRelu(h, 0.1);
  h = tf.maxPool(h, 2, 2, 'same');
  h = tf.relu(tf.depthwiseConv2d(h, p.dw as tf.Tensor4D, 1, 'same'));
  h = tf.conv2d(h, p.conv2 as tf.Tensor4D, 2, 'valid');
  h = tf.avgPool(h, 2, 2, 'valid');
  const logits = h.reshape([x.shape[0], 8]).matMul(p.dense as tf.Tensor2D).add(p.biasD!);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

interface Run {
  grads: Record<string, Float32Array>;
  losses: number[];
}

// Tiny convolutions and products go to onnxruntime too (by default they stay on wasm below 2 MFLOP).
env.ortMinFlops = 0;

/** The oneDNN addon's calls so far (0 where it is not built). */
const oneDnnCalls0 = () => (existsSync(addonPath()) ? loadOneDnn().info().calls : 0);

type Backend = 'cpu' | 'wasm' | 'onnxruntime' | 'onednn';

/** Gradients at the initial point, then 20 SGD steps' losses, all on `backend`. */
async function train(backend: Backend): Promise<Run> {
  await initBackend(backend);
  const rng = new Rng(11);
  const x = tf.tensor4d(randn(rng, [4, 12, 10, 3]), [4, 12, 10, 3]);
  const labels = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3) as tf.Tensor2D;
  const start = init(5);
  const params: Record<string, tf.Tensor> = {};
  for (const n of names) params[n] = tf.tensor(start[n]!, shapes[n]);
  const gradFn = tf.valueAndGrads((...ts: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), x, labels));
  const grads: Record<string, Float32Array> = {};
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const { value, grads: g } = gradFn(names.map((n) => params[n]!));
    losses.push(value.dataSync()[0]!);
    if (step === 0) names.forEach((n, i) => (grads[n] = g[i]!.dataSync() as Float32Array));
    names.forEach((n, i) => {
      const next = tf.tidy(() => params[n]!.sub(g[i]!.mul(0.3)));
      params[n]!.dispose();
      params[n] = next;
    });
    tf.dispose([value, ...g]);
  }
  tf.dispose([x, labels, ...Object.values(params)]);
  return { grads, losses };
}

// 'onednn' where its addon is built: its convolutions on oneDNN, the dense layer's products still on onnxruntime.
const backends = ['wasm', 'onnxruntime', ...(existsSync(addonPath()) ? (['onednn'] as const) : [])] as const;

describe.each(backends)('a small CNN trains the same on %s as on cpu', (backend) => {
  let cpu: Run;
  let wasm: Run;
  let ortRuns: number;
  let oneDnnCalls: number;
  beforeAll(async () => {
    cpu = await train('cpu');
    const runs0 = onnxRuntimeStats().runs;
    const calls0 = oneDnnCalls0();
    wasm = await train(backend);
    ortRuns = onnxRuntimeStats().runs - runs0;
    oneDnnCalls = oneDnnCalls0() - calls0;
  });

  it(`runs its convolutions and products where the ${backend} backend says`, () => {
    // Per step: 2 convolutions forward and backward (input and filter gradients) plus the dense layer's products.
    if (backend === 'wasm') expect(ortRuns + oneDnnCalls).toBe(0);
    if (backend === 'onnxruntime') expect(ortRuns).toBeGreaterThanOrEqual(20 * 6);
    if (backend === 'onednn') {
      expect(oneDnnCalls).toBeGreaterThanOrEqual(20 * 5); // 2 convolutions' forward + 1 input gradient + 2 filter gradients
      expect(ortRuns).toBeGreaterThan(0); // the dense layer
    }
  });

  it('has the same gradients (relative error < 1e-4 per parameter)', () => {
    for (const n of names) expect(relErr(wasm.grads[n]!, cpu.grads[n]!), n).toBeLessThan(1e-4);
  });

  it('has the same loss curve over 20 steps, and the loss falls', () => {
    expect(relErr(wasm.losses, cpu.losses)).toBeLessThan(1e-3);
    expect(wasm.losses[19]!).toBeLessThan(0.7 * wasm.losses[0]!);
  });

  it('leaks nothing over 50 gradient evaluations', async () => {
    await initBackend(backend);
    const x = tf.tensor4d(randn(new Rng(2), [2, 12, 10, 3]), [2, 12, 10, 3]);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3) as tf.Tensor2D;
    const start = init(1);
    const ps = names.map((n) => tf.tensor(start[n]!, shapes[n]));
    const gradFn = tf.grads((...ts: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), x, labels));
    tf.dispose(gradFn(ps));
    const before = tf.memory();
    for (let i = 0; i < 50; i++) tf.dispose(gradFn(ps));
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, labels, ...ps]);
  });
});
