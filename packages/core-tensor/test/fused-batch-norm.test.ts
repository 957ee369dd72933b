/**
 * FusedBatchNorm and batchNormTraining against tfjs-layers' own BatchNormalization with the same weights,
 * computed on the cpu backend as the reference: training-mode output, moving-statistics update, gradients
 * w.r.t. input, gamma and beta, and inference output, on cpu, wasm, onnxruntime and onednn (< 1e-4 relative); batch
 * statistics against a float64 hand computation; gradients through the mean and variance outputs against
 * tf.moments + tf.batchNorm; no leaks; weights and topologies saved and loaded; clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchNorm,
  batchNormTraining,
  FusedBatchNorm,
  initBackend,
  tf,
} from '../src/index.js';
import { existsSync } from 'node:fs';
import { addonPath } from '@facelab/onednn';
import { env, onnxRuntimeStats, Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';

interface Case {
  shape: number[];
  momentum: number;
  epsilon: number;
}
const cases: Case[] = [
  { shape: [4, 3, 5, 6], momentum: 0.99, epsilon: 1e-3 },
  { shape: [3, 4, 6, 2], momentum: 0.9, epsilon: 1e-5 },
  { shape: [2, 7, 5], momentum: 0.5, epsilon: 1e-3 },
  { shape: [9, 8], momentum: 0.9, epsilon: 1e-5 },
];
const label = (c: Case) => `[${c.shape}] momentum ${c.momentum} ε ${c.epsilon}`;
// 'onednn' where its addon is built (its gradient falls back when the loss reads the batch statistics).
const BACKENDS = ['cpu', 'wasm', 'onnxruntime', ...(existsSync(addonPath()) ? (['onednn'] as const) : [])] as const;

interface Data {
  x: Float32Array;
  /** gamma, beta, moving mean, moving variance (positive). */
  weights: Float32Array[];
  probe: Float32Array;
}

function dataFor(c: Case, seed: number): Data {
  const rng = new Rng(seed);
  const ch = c.shape[c.shape.length - 1]!;
  // An offset and a per-channel spread unlike 0/1, so a wrong mean or variance shows.
  const x = randn(rng, c.shape).map((v, i) => 3 + v * (0.5 + (i % ch)));
  const gamma = randn(rng, [ch]).map((v) => 1 + 0.5 * v);
  const beta = randn(rng, [ch]);
  const movingMean = randn(rng, [ch]);
  const movingVar = randn(rng, [ch]).map((v) => 0.5 + v * v);
  return { x, weights: [gamma, beta, movingMean, movingVar], probe: randn(rng, c.shape) };
}

type Make = (c: Case) => tf.layers.Layer;
const stock: Make = (c) => tf.layers.batchNormalization({ axis: -1, momentum: c.momentum, epsilon: c.epsilon, name: 'bn' });
const fused: Make = (c) => new FusedBatchNorm({ axis: -1, momentum: c.momentum, epsilon: c.epsilon, name: 'bn' });

/** A built layer with the case's weights. */
function setUp(make: Make, c: Case, d: Data): tf.layers.Layer {
  const layer = make(c);
  layer.build(c.shape);
  tf.tidy(() => layer.setWeights(d.weights.map((w) => tf.tensor1d(w))));
  return layer;
}

/** Releases a layer applied only to concrete tensors (Layer.dispose wants a symbolic use first). */
const free = (layer: tf.layers.Layer) => layer.weights.forEach((w) => w.dispose());

/**
 * Training output; d(Σ probe∘output)/d(x, gamma, beta); moving mean and variance after that one training
 * call; inference output.
 */
function run(layer: tf.layers.Layer, c: Case, d: Data): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.variable(tf.tensor(d.x, c.shape));
    const probe = tf.tensor(d.probe, c.shape);
    const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
    let y: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      y = tf.keep(layer.apply(x, { training: true }) as tf.Tensor);
      return tf.sum(tf.mul(y, probe));
    }, vars);
    value.dispose();
    const moving = layer.getWeights().slice(2);
    const inference = layer.apply(x) as tf.Tensor;
    const outs = [y!, ...vars.map((v) => grads[v.name]!), ...moving, inference];
    const values = outs.map((t) => t.dataSync() as Float32Array);
    x.dispose();
    return values;
  });
}

async function valuesOf(backend: string, make: Make, c: Case, d: Data): Promise<Float32Array[]> {
  await initBackend(backend);
  const layer = setUp(make, c, d);
  const values = run(layer, c, d);
  free(layer);
  return values;
}

/** Batch mean and biased variance per channel in float64: the hand reference. */
function momentsF64(x: Float32Array, ch: number): [number[], number[]] {
  const m = x.length / ch;
  const mean = Array.from({ length: ch }, (_, k) => {
    let s = 0;
    for (let i = k; i < x.length; i += ch) s += x[i]!;
    return s / m;
  });
  const variance = mean.map((mu, k) => {
    let s = 0;
    for (let i = k; i < x.length; i += ch) s += (x[i]! - mu) ** 2;
    return s / m;
  });
  return [mean, variance];
}

const NAMES = ['training output', 'd x', 'd gamma', 'd beta', 'moving mean', 'moving variance', 'inference output'];

const ORT_MIN_FLOPS = env.ortMinFlops;
beforeAll(async () => {
  // The ORT batch-norm kernels (opt-in) on every call, however small, so the onnxruntime runs exercise
  // them, not the wasm fallback.
  env.ortMinFlops = 0;
  env.ortBatchNorm = true;
});
afterAll(async () => {
  env.ortMinFlops = ORT_MIN_FLOPS;
  env.ortBatchNorm = false;
  await initBackend('cpu');
});

describe('FusedBatchNorm against tf.layers.batchNormalization (cpu reference)', () => {
  cases.forEach((c, i) => {
    it(label(c), async () => {
      const d = dataFor(c, 100 + i);
      const want = await valuesOf('cpu', stock, c, d);
      for (const backend of BACKENDS) {
        const before = onnxRuntimeStats().runs;
        const got = await valuesOf(backend, fused, c, d);
        if (backend === 'onnxruntime') expect(onnxRuntimeStats().runs - before).toBeGreaterThanOrEqual(2); // both kernels on ORT
        got.forEach((g, k) => expect(relErr(g, want[k]!), `${backend} ${NAMES[k]}`).toBeLessThan(1e-4));
      }
    });
  });
});

describe('batchNormTraining', () => {
  it('returns the batch mean and biased variance (float64 hand computation) on every backend', async () => {
    const c = cases[0]!;
    const d = dataFor(c, 7);
    const ch = c.shape[3]!;
    const [mean, variance] = momentsF64(d.x, ch);
    for (const backend of BACKENDS) {
      await initBackend(backend);
      const [m, v] = tf.tidy(() => {
        const r = batchNormTraining(tf.tensor(d.x, c.shape), tf.tensor1d(d.weights[0]!), tf.tensor1d(d.weights[1]!), c.epsilon);
        return [r.mean.dataSync(), r.variance.dataSync()];
      });
      expect(relErr(m!, mean), `${backend} mean`).toBeLessThan(1e-5);
      expect(relErr(v!, variance), `${backend} variance`).toBeLessThan(1e-5);
    }
  });

  it('differentiates through the mean and variance outputs as tf.moments + tf.batchNorm do', async () => {
    const c = cases[1]!;
    const d = dataFor(c, 8);
    const ch = c.shape[3]!;
    const rng = new Rng(9);
    const [pm, pv] = [randn(rng, [ch]), randn(rng, [ch])];
    const loss = (f: (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor[]) => () =>
      tf.tidy(() => {
        const [x, g, b] = [tf.tensor(d.x, c.shape), tf.tensor1d(d.weights[0]!), tf.tensor1d(d.weights[1]!)];
        const grads = tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const [y, mean, variance] = f(x, g as tf.Tensor1D, b as tf.Tensor1D);
          return tf.addN([tf.sum(tf.mul(y!, tf.tensor(d.probe, c.shape))), tf.sum(tf.mul(mean!, pm)), tf.sum(tf.mul(variance!, pv))]);
        })([x, g, b]);
        return grads.map((t) => t.dataSync() as Float32Array);
      });
    await initBackend('cpu');
    const want = loss((x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return [tf.batchNorm(x, mean, variance, b, g, c.epsilon), mean, variance];
    })();
    for (const backend of BACKENDS) {
      await initBackend(backend);
      const got = loss((x, g, b) => {
        const r = batchNormTraining(x, g, b, c.epsilon);
        return [r.y, r.mean, r.variance];
      })();
      got.forEach((v, k) => expect(relErr(v, want[k]!), `${backend} ${['d x', 'd gamma', 'd beta'][k]}`).toBeLessThan(1e-4));
    }
  });

  it("runs the wasm loop kernels on 'onnxruntime' unless env.ortBatchNorm", async () => {
    const c = cases[0]!;
    const d = dataFor(c, 14);
    const fwdBwd = () =>
      tf.tidy(() => {
        const [x, g, b] = [tf.tensor(d.x, c.shape), tf.tensor1d(d.weights[0]!), tf.tensor1d(d.weights[1]!)];
        return tf.grads((x: tf.Tensor) => tf.sum(batchNormTraining(x, g, b, c.epsilon).y))([x])[0]!.dataSync();
      });
    env.ortBatchNorm = false;
    try {
      await initBackend('onnxruntime');
      const before = onnxRuntimeStats().runs;
      fwdBwd();
      expect(onnxRuntimeStats().runs).toBe(before);
    } finally {
      env.ortBatchNorm = true;
    }
  });

  it('falls back to tf ops on a backend without the fused kernels', async () => {
    await initBackend('cpu');
    const c = cases[2]!;
    const d = dataFor(c, 10);
    const args = () => [tf.tensor(d.x, c.shape), tf.tensor1d(d.weights[0]!), tf.tensor1d(d.weights[1]!)] as const;
    const fusedY = tf.tidy(() => batchNormTraining(...args(), c.epsilon).y.dataSync());
    const config = tf.getKernel('FacelabBatchNormTrain', 'cpu')!;
    tf.unregisterKernel('FacelabBatchNormTrain', 'cpu');
    try {
      const before = tf.memory().numTensors;
      const opsY = tf.tidy(() => batchNormTraining(...args(), c.epsilon).y.dataSync());
      expect(tf.memory().numTensors).toBe(before);
      expect(relErr(opsY, fusedY)).toBeLessThan(1e-5);
    } finally {
      tf.registerKernel(config);
    }
  });

  it('names the problem on bad input', async () => {
    await initBackend('cpu');
    tf.tidy(() => {
      const g = tf.ones([3]) as tf.Tensor1D;
      expect(() => batchNormTraining(tf.ones([2, 4]), g, g, 1e-3)).toThrow(/gamma and beta of shape \[4\]/);
      expect(() => batchNormTraining(tf.ones([3]), g, g, 1e-3)).toThrow(/rank ≥ 2/);
      expect(() => batchNormTraining(tf.ones([2, 3], 'int32'), g, g, 1e-3)).toThrow(/float32/);
      expect(() => batchNormTraining(tf.ones([2, 3]), g, g, 0)).toThrow(/epsilon/);
    });
  });
});

describe('FusedBatchNorm layer', () => {
  it('leaks no tensors over 50 training steps on every backend', async () => {
    const c = cases[0]!;
    const d = dataFor(c, 11);
    for (const backend of BACKENDS) {
      await initBackend(backend);
      const layer = setUp(fused, c, d);
      const x = tf.tensor(d.x, c.shape);
      const optimizer = tf.train.sgd(0.01);
      const step = () => optimizer.minimize(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)), true)!.dispose();
      step(); // optimizer state and kernel caches
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) step();
      expect(tf.memory().numTensors, backend).toBe(before);
      tf.dispose(x);
      optimizer.dispose();
      free(layer);
    }
  });

  it('has exactly tf.layers.batchNormalization weights: names, shapes, initial values, trainable flags', async () => {
    await initBackend('cpu');
    const describeWeights = (m: tf.LayersModel) =>
      m.weights.map((w) => ({ name: w.originalName, shape: w.shape, trainable: w.trainable, values: Array.from(w.read().dataSync()) }));
    const build = (make: Make) => {
      const input = tf.input({ shape: [3, 3, 4] });
      return tf.model({ inputs: input, outputs: make(cases[0]!).apply(input) as tf.SymbolicTensor });
    };
    const [a, b] = [build(stock), build(fused)];
    expect(describeWeights(b)).toEqual(describeWeights(a));
    expect(b.countParams()).toBe(a.countParams());
    a.dispose();
    b.dispose();
  });

  it('loads weights saved from a tf.layers.batchNormalization model, and round-trips its own topology', async () => {
    await initBackend('cpu');
    const c = cases[0]!;
    const d = dataFor(c, 12);
    const model = (make: Make) => {
      const input = tf.input({ shape: c.shape.slice(1) });
      return tf.model({ inputs: input, outputs: make(c).apply(input) as tf.SymbolicTensor });
    };
    const saved = model(stock);
    tf.tidy(() => saved.getLayer('bn').setWeights(d.weights.map((w) => tf.tensor1d(w))));
    const capture = async (m: tf.LayersModel) => {
      let artifacts: tf.io.ModelArtifacts | undefined;
      const info = { dateSaved: new Date(), modelTopologyType: 'JSON' as const };
      await m.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: info })));
      return artifacts!;
    };
    const artifacts = await capture(saved);
    const loaded = model(fused);
    const named = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs!);
    loaded.loadWeights(named);
    tf.dispose(Object.values(named));
    const x = tf.tensor(d.x, c.shape);
    const want = tf.tidy(() => (saved.predict(x) as tf.Tensor).dataSync());
    expect(relErr(tf.tidy(() => (loaded.predict(x) as tf.Tensor).dataSync()), want)).toBeLessThan(1e-6);

    // Its own topology names FacelabBatchNorm and loads back as one.
    const own = await capture(loaded);
    expect(JSON.stringify(own.modelTopology)).toContain('"FacelabBatchNorm"');
    const back = await tf.loadLayersModel(tf.io.fromMemory(own));
    expect(back.getLayer('bn')).toBeInstanceOf(FusedBatchNorm);
    expect(relErr(tf.tidy(() => (back.predict(x) as tf.Tensor).dataSync()), want)).toBeLessThan(1e-6);
    tf.dispose(x);
    [saved, loaded, back].forEach((m) => m.dispose());
  });

  it('is what batchNorm() builds, and trains with center: false and scale: false (tfjs 4.22 cannot)', async () => {
    await initBackend('wasm');
    const input = tf.input({ shape: [4, 4, 3] });
    const out = batchNorm(input, { momentum: 0.9, epsilon: 1e-5, name: 'b' });
    const m = tf.model({ inputs: input, outputs: out });
    expect(m.getLayer('b')).toBeInstanceOf(FusedBatchNorm);
    expect(m.getLayer('b').getConfig()).toMatchObject({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
    m.dispose();
    const layer = new FusedBatchNorm({ center: false, scale: false, name: 'plain' });
    const d = dataFor(cases[2]!, 13);
    const y = tf.tidy(() => (layer.apply(tf.tensor(d.x, cases[2]!.shape), { training: true }) as tf.Tensor).dataSync());
    const ch = cases[2]!.shape[2]!;
    const [mean, variance] = momentsF64(d.x, ch);
    const want = Array.from(d.x, (v, i) => (v - mean[i % ch]!) / Math.sqrt(variance[i % ch]! + 1e-3));
    expect(relErr(y, want)).toBeLessThan(1e-5);
    free(layer);
  });
});
