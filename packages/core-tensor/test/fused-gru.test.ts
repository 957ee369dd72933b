/**
 * FusedGru (one input product + the fused recurrence kernels) against tfjs-layers' own GRU with the same
 * weights, computed on the cpu backend as the reference: outputs and the gradients of a weighted sum of
 * the outputs w.r.t. the input, kernel, recurrent kernel and bias, on cpu, wasm and onnxruntime (< 1e-4
 * relative), returnSequences true and false; the tf-ops fallback; no leaks; clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FusedGru,
  gruRecurrence,
  initBackend,
  recurrentStack,
  tf,
} from '../src/index.js';
import { env, onnxRuntimeStats, Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';

interface Case {
  b: number;
  t: number;
  f: number;
  units: number;
  returnSequences: boolean;
}
const cases: Case[] = [
  { b: 3, t: 5, f: 4, units: 6, returnSequences: true },
  { b: 2, t: 7, f: 3, units: 5, returnSequences: false },
  { b: 1, t: 2, f: 2, units: 3, returnSequences: true },
  { b: 4, t: 3, f: 9, units: 8, returnSequences: false },
];
const label = (c: Case) => `B ${c.b} T ${c.t} F ${c.f} → ${c.units}${c.returnSequences ? ' (sequences)' : ' (last)'}`;

interface Data {
  x: Float32Array;
  weights: [Float32Array, Float32Array, Float32Array];
  probe: Float32Array;
}

function dataFor(c: Case, seed: number): Data {
  const rng = new Rng(seed);
  const h3 = 3 * c.units;
  const scaled = (shape: number[]) => randn(rng, shape).map((v) => 0.6 * v);
  return {
    x: randn(rng, [c.b, c.t, c.f]),
    weights: [scaled([c.f, h3]), scaled([c.units, h3]), scaled([h3])],
    probe: randn(rng, c.returnSequences ? [c.b, c.t, c.units] : [c.b, c.units]),
  };
}

type MakeLayer = (args: { units: number; returnSequences: boolean; name: string }) => tf.layers.Layer;
const tfjsGru: MakeLayer = (args) => tf.layers.gru({ ...args, recurrentActivation: 'sigmoid' });
const fusedGru: MakeLayer = (args) => new FusedGru(args);

/** A built layer with the case's weights and its input as a variable. */
function setUp(make: MakeLayer, c: Case, d: Data): { layer: tf.layers.Layer; x: tf.Variable } {
  const layer = make({ units: c.units, returnSequences: c.returnSequences, name: 'g' });
  const x = tf.variable(tf.tensor3d(d.x, [c.b, c.t, c.f]));
  tf.dispose(layer.apply(x) as tf.Tensor);
  const [k, u, bias] = d.weights;
  tf.tidy(() => layer.setWeights([tf.tensor2d(k, [c.f, 3 * c.units]), tf.tensor2d(u, [c.units, 3 * c.units]), tf.tensor1d(bias)]));
  return { layer, x };
}

/** Output, then d(Σ probe∘output)/d(input, kernel, recurrent kernel, bias). */
function forwardBackward(layer: tf.layers.Layer, x: tf.Variable, probe: tf.Tensor): tf.Tensor[] {
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)), vars);
  value.dispose();
  return [layer.apply(x) as tf.Tensor, ...vars.map((v) => grads[v.name]!)];
}

async function valuesOf(backend: string, make: MakeLayer, c: Case, d: Data): Promise<Float32Array[]> {
  await initBackend(backend);
  const { layer, x } = setUp(make, c, d);
  const probe = tf.tensor(d.probe, c.returnSequences ? [c.b, c.t, c.units] : [c.b, c.units]);
  const outs = forwardBackward(layer, x, probe);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...outs, probe, x]);
  layer.dispose();
  return values;
}

const NAMES = ['output', 'd input', 'd kernel', 'd recurrent kernel', 'd bias'];

const ORT_MIN_FLOPS = env.ortMinFlops;
beforeAll(async () => {
  // Every product on ORT, however small, so the onnxruntime runs exercise its kernels, not wasm's.
  env.ortMinFlops = 0;
});
afterAll(async () => {
  env.ortMinFlops = ORT_MIN_FLOPS;
  await initBackend('cpu');
});

describe('FusedGru against tf.layers.gru (reference on cpu)', () => {
  for (const [i, c] of cases.entries()) {
    it(label(c), async () => {
      const d = dataFor(c, 10 + i);
      const want = await valuesOf('cpu', tfjsGru, c, d);
      expect(want[0]!.length).toBe(c.b * c.units * (c.returnSequences ? c.t : 1));
      for (const backend of ['cpu', 'wasm', 'onnxruntime']) {
        const runs = onnxRuntimeStats().runs;
        const got = await valuesOf(backend, fusedGru, c, d);
        if (backend === 'onnxruntime') expect(onnxRuntimeStats().runs, 'ORT ran the products').toBeGreaterThan(runs);
        for (const [k, name] of NAMES.entries()) {
          expect(got[k]!.length, `${backend} ${name}`).toBe(want[k]!.length);
          expect(relErr(got[k]!, want[k]!), `${backend} ${name}`).toBeLessThan(1e-4);
        }
      }
    });
  }
});

describe('gruRecurrence', () => {
  it('the tf-ops fallback (backends without the kernels) equals the fused kernels, gradients too', async () => {
    await initBackend('cpu');
    const rng = new Rng(3);
    for (const [b, t, h] of [[2, 4, 3], [1, 1, 2]] as const) {
      const xw = tf.tensor3d(randn(rng, [b, t, 3 * h]), [b, t, 3 * h]);
      const u = tf.tensor2d(randn(rng, [h, 3 * h]), [h, 3 * h]);
      const probe = tf.tensor3d(randn(rng, [b, t, h]), [b, t, h]);
      const run = (fused: boolean) =>
        tf.tidy(() => {
          const f = (a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(gruRecurrence(a as tf.Tensor3D, w as tf.Tensor2D, { fused }), probe));
          return [gruRecurrence(xw, u, { fused }), ...tf.grads(f)([xw, u])].map((v) => v.dataSync() as Float32Array);
        });
      const [fused, ops] = [run(true), run(false)];
      for (const k of [0, 1, 2]) expect(relErr(fused[k]!, ops[k]!), `B ${b} T ${t} H ${h} output ${k}`).toBeLessThan(1e-5);
      tf.dispose([xw, u, probe]);
    }
  });

  it('rejects mismatched shapes and dtypes', async () => {
    await initBackend('cpu');
    const xw = tf.zeros([2, 3, 6]) as tf.Tensor3D;
    expect(() => gruRecurrence(xw, tf.zeros([3, 9]) as tf.Tensor2D)).toThrow(
      /expected xw \[batch, time, 3·units\] and recurrentKernel \[units, 3·units\], got xw \[2,3,6\] and recurrentKernel \[3,9\]/,
    );
    expect(() => gruRecurrence(tf.zeros([2, 3, 6], 'int32') as tf.Tensor3D, tf.zeros([2, 6]) as tf.Tensor2D)).toThrow(
      /must be float32, got int32/,
    );
    tf.disposeVariables();
  });
});

describe('FusedGru layer', () => {
  it('has tfjs GRU weight names, shapes and parameter count', async () => {
    await initBackend('cpu');
    const x = tf.input({ shape: [5, 4] });
    // originalName: the name before tfjs makes it unique in the process (earlier tests made layers named 'g').
    const shapes = (m: tf.LayersModel) => m.weights.map((w) => `${w.originalName} ${w.shape}`);
    const a = tf.model({ inputs: x, outputs: tfjsGru({ units: 3, returnSequences: true, name: 'g' }).apply(x) as tf.SymbolicTensor });
    const bx = tf.input({ shape: [5, 4] });
    const b = tf.model({ inputs: bx, outputs: fusedGru({ units: 3, returnSequences: true, name: 'g' }).apply(bx) as tf.SymbolicTensor });
    expect(shapes(b)).toEqual(['g/kernel 4,9', 'g/recurrent_kernel 3,9', 'g/bias 9']);
    expect(shapes(b)).toEqual(shapes(a));
    expect(b.countParams()).toBe(a.countParams());
    expect(b.outputs[0]!.shape).toEqual([null, 5, 3]);
    a.dispose();
    b.dispose();
  });

  it('recurrentStack builds FusedGru layers; a JSON round trip keeps config and outputs', async () => {
    await initBackend('cpu');
    const x = tf.input({ shape: [4, 3] });
    const m = tf.model({ inputs: x, outputs: recurrentStack(x, { cell: 'gru', units: 2, layers: 2, returnSequences: false, seed: 7, name: 'r' }) });
    expect(m.layers.slice(1).map((l) => l.getClassName())).toEqual(['FacelabFusedGru', 'FacelabFusedGru']);
    const copy = await tf.models.modelFromJSON({ modelTopology: m.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'] });
    copy.setWeights(m.getWeights());
    const input = tf.tensor3d(randn(new Rng(2), [2, 4, 3]), [2, 4, 3]);
    const [y0, y1] = [m.predict(input) as tf.Tensor, copy.predict(input) as tf.Tensor];
    expect(y1.shape).toEqual([2, 2]);
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y0.dataSync()));
    tf.dispose([input, y0, y1]);
    m.dispose();
    copy.dispose();
  });

  it('refuses masks, state, dropout and other cell options with an error naming them', async () => {
    await initBackend('cpu');
    expect(() => new FusedGru({ units: 2, stateful: true, name: 's' } as never)).toThrow(
      /FusedGru 's': stateful = true is not supported \(only false\); use tf.layers.gru/,
    );
    expect(() => new FusedGru({ units: 2, recurrentActivation: 'hardSigmoid', name: 'a' } as never)).toThrow(/recurrentActivation/);
    expect(() => new FusedGru({ units: 0, name: 'u' })).toThrow(/units must be a positive integer, got 0/);
    const layer = new FusedGru({ units: 2, name: 'm' });
    const x = tf.zeros([1, 3, 2]);
    expect(() => layer.apply(x, { mask: tf.ones([1, 3]) })).toThrow(/FusedGru 'm': masks are not supported/);
    expect(() => new FusedGru({ units: 2, name: 'r' }).apply(tf.input({ shape: [3] }))).toThrow(/must be 3-D/);
    tf.disposeVariables();
    x.dispose();
  });

  for (const backend of ['cpu', 'wasm', 'onnxruntime']) {
    it(`no tensor leaks over 50 forward+backward calls on ${backend}`, async () => {
      const c = cases[0]!;
      const d = dataFor(c, 1);
      await initBackend(backend);
      const { layer, x } = setUp(fusedGru, c, d);
      const probe = tf.tensor(d.probe, [c.b, c.t, c.units]);
      tf.dispose(forwardBackward(layer, x, probe)); // first call registers kernels and gradients
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) tf.dispose(forwardBackward(layer, x, probe));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([probe, x]);
      layer.dispose();
    });
  }
});
