/**
 * resnet50Features with layout 'slim' against a PyTorch re-implementation of TF-slim's resnet_v1_50
 * (test/golden/make_resnet50_slim.py): output shape after conv1, pool1 and each block at even and odd input
 * sizes, parameter counts, and the 2048-d output with every weight filled by the script's formula.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, resnet50Features, tf, type ResnetLayout } from '../src/index.js';
import { readGolden, relErr } from '@facelab/test-utils';

interface Golden {
  taps: string[];
  params: number;
  bnStats: number;
  shapes: { size: number; taps: number[][] }[];
  forwards: { size: number; output: number[] }[];
}
const golden = readGolden<Golden>(import.meta.url, 'resnet50-slim.json');

beforeAll(async () => {
  await initBackend('wasm');
});

/** The layers whose outputs are the golden's taps: stem ReLU, pool, the last unit of each block. */
const TAP_LAYERS = ['r_stem_relu', 'r_pool', 'r_s1b3_out_relu', 'r_s2b4_out_relu', 'r_s3b6_out_relu', 'r_s4b3_out_relu'];

function build(size: number, layout: ResnetLayout): { model: tf.LayersModel; taps: tf.LayersModel } {
  const x = tf.input({ shape: [size, size, 3] });
  const model = tf.model({ inputs: x, outputs: resnet50Features(x, { name: 'r', layout }) });
  const taps = tf.model({ inputs: x, outputs: TAP_LAYERS.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
  return { model, taps };
}

/** The script's key(): Σ (i + 1)·code(c) mod 1009. */
const key = (name: string) => [...name].reduce((s, c, i) => s + (i + 1) * c.charCodeAt(0), 0) % 1009;
/** The script's weight_values(): scale·√3·(2u − 1), u = frac(43758.5453 · sin(12.9898 j + 78.233 key)). */
function weightValues(name: string, n: number, scale: number): Float32Array {
  const k = key(name);
  return Float32Array.from({ length: n }, (_, j) => {
    const t = Math.sin(12.9898 * j + 78.233 * k) * 43758.5453;
    return scale * Math.sqrt(3) * (2 * (t - Math.floor(t)) - 1);
  });
}

/** Fills every conv kernel (HWIO) and batch norm of `model` as the golden script does. */
function fill(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    let values: tf.Tensor[];
    if (layer.getClassName() === 'Conv2D') {
      const [h, w, i, o] = ws[0]!.shape as [number, number, number, number];
      values = [tf.tensor4d(weightValues(`${layer.name}/kernel`, h * w * i * o, Math.sqrt(2 / (h * w * i))), [h, w, i, o])];
    } else {
      const c = ws[0]!.shape[0]!;
      const v = (what: string) => weightValues(`${layer.name}/${what}`, c, 1);
      values = [
        tf.tensor1d(v('gamma').map((g) => 1 + 0.2 * g)),
        tf.tensor1d(v('beta').map((b) => 0.1 * b)),
        tf.tensor1d(v('moving_mean').map((m) => 0.05 * m)),
        tf.tensor1d(v('moving_variance').map((s) => 1 + 0.3 * s * s)),
      ];
    }
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** The script's image(): NHWC sin(0.3 y + 0.17 x + 1.1 c)·cos(0.05 x (c + 1)). */
function image(size: number): tf.Tensor4D {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = Math.sin(0.3 * y + 0.17 * x + 1.1 * c) * Math.cos(0.05 * x * (c + 1));
  return tf.tensor4d(data, [1, size, size, 3]);
}

/** Relative max error of `model`'s output for the script's image of `s`×`s` (weights filled first); leaks nothing. */
function outputError(model: tf.LayersModel, s: number, expected: number[]): number {
  fill(model);
  const x = image(s);
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => model.predict(x) as tf.Tensor);
  const err = relErr(Array.from(y.dataSync()), expected);
  y.dispose();
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
  return err;
}

const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? NaN), 1), 0);

describe("resnet50Features layout 'slim' (TF-slim resnet_v1_50)", () => {
  it('has the reference shape after conv1, pool1 and every block, its parameter count, and its output with the same weights', () => {
    expect(golden.taps).toEqual(['conv1', 'pool1', 'block1', 'block2', 'block3', 'block4']);
    for (const { size: s, taps } of golden.shapes) {
      const { model, taps: t } = build(s, 'slim');
      expect(t.outputs.map((o) => [1, ...o.shape.slice(1)]), `input ${s}×${s}`).toEqual(taps);
      expect({ params: size(model.trainableWeights), bnStats: size(model.nonTrainableWeights) }).toEqual({ params: golden.params, bnStats: golden.bnStats });
      const forward = golden.forwards.find((f) => f.size === s);
      if (forward !== undefined) expect(outputError(model, s, forward.output), `input ${s}×${s}`).toBeLessThan(1e-4);
      model.dispose();
    }
  });

  it('differs from the torchvision layout: same parameters, block 1 not strided, other outputs', () => {
    const { model, taps } = build(64, 'torchvision');
    expect(taps.outputs.map((o) => o.shape[1])).toEqual([32, 16, 16, 8, 4, 2]);
    expect(size(model.trainableWeights)).toBe(golden.params);
    expect(outputError(model, 64, golden.forwards.find((f) => f.size === 64)!.output)).toBeGreaterThan(0.05);
    model.dispose();
  });

  it('rejects an unknown layout by name', () => {
    expect(() => resnet50Features(tf.input({ shape: [32, 32, 3] }), { name: 'bad', layout: 'caffe' as 'slim' })).toThrow(
      /resnet50Features 'bad': layout must be 'torchvision' or 'slim', got 'caffe'/,
    );
  });
});
