/**
 * Importing the released AffWildNet TF1 checkpoints: a small VGGFace-GRU checkpoint written by the committed
 * Python script (spec-derived bundle writer, released variable names) must reproduce that script's TF1-equation
 * forward pass; so must the ResNet-GRU on seeded weights (resnet_gru_reference.py); the full-size VGGFace-GRU
 * and ResNet-GRU name sets (built here from the released code and TF-slim's resnet_v1_50 definition) must fill
 * every weight of our models.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng, type TfCheckpointTensor } from '@facelab/runtime';
import { describeMalformed } from '@facelab/test-utils';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { assignAffWildTf1Weights, gruFromTf1, loadAffWildTf1Checkpoint } from '../src/model/tf1-checkpoint.js';

const FIXTURE = new URL('./fixtures/tf1-checkpoint/', import.meta.url).pathname;
const bytesOf = (file: string) => {
  const b = readFileSync(`${FIXTURE}${file}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const SMALL = { backbone: 'small', inputSize: 32, fcUnits: 16, gruUnits: 8 } as const;

beforeAll(async () => {
  await initBackend('cpu');
});

/** A float checkpoint tensor of `shape` whose values are `seed`, `seed + 1e-3`, …, so a misplaced copy shows. */
function filled(shape: number[], seed: number): TfCheckpointTensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = seed + ((i % 997) * 1e-3);
  return { dtype: 'float', shape, values };
}

/** Released GRU variables of `layers` cells (TF 1.8 names) under `scope`. */
function gruVariables(scope: string, inputs: number, units: number, layers: number): [string, number[]][] {
  const out: [string, number[]][] = [];
  for (let i = 0; i < layers; i++) {
    const cell = `${scope}/rnn/multi_rnn_cell/cell_${i}/gru_cell`;
    const width = (i === 0 ? inputs : units) + units;
    out.push([`${cell}/gates/kernel`, [width, 2 * units]], [`${cell}/gates/bias`, [2 * units]], [`${cell}/candidate/kernel`, [width, units]], [`${cell}/candidate/bias`, [units]]);
  }
  return out;
}

/** The released ResNet-GRU's variables (TF-slim resnet_v1_50 + scope `rnn`), from slim's block definition. */
function resnetGruVariables(units: number): [string, number[]][] {
  const vars: [string, number[]][] = [];
  const convBn = (scope: string, shape: number[]) => {
    vars.push([`${scope}/weights`, shape]);
    for (const w of ['beta', 'gamma', 'moving_mean', 'moving_variance']) vars.push([`${scope}/BatchNorm/${w}`, [shape[3]!]]);
  };
  convBn('resnet_v1_50/conv1', [7, 7, 3, 64]);
  // slim's resnet_v1_50 blocks: (units, depth_bottleneck); depth = 4 · depth_bottleneck; unit 1 projects.
  let depthIn = 64;
  [[3, 64], [4, 128], [6, 256], [3, 512]].forEach(([n, db], s) => {
    for (let u = 1; u <= n!; u++) {
      const unit = `resnet_v1_50/block${s + 1}/unit_${u}/bottleneck_v1`;
      if (u === 1) convBn(`${unit}/shortcut`, [1, 1, depthIn, 4 * db!]);
      convBn(`${unit}/conv1`, [1, 1, u === 1 ? depthIn : 4 * db!, db!]);
      convBn(`${unit}/conv2`, [3, 3, db!, db!]);
      convBn(`${unit}/conv3`, [1, 1, db!, 4 * db!]);
    }
    depthIn = 4 * db!;
  });
  return [...vars, ...gruVariables('rnn', 2048, units, 2), ['rnn/weights_output', [units, 2]], ['rnn/biases_output', [2]]];
}

/** resnet_gru_reference.py's `rule`: (offset, scale) of a variable's uniform draw. */
function rule(name: string, shape: number[]): [number, number] {
  if (/(\/weights|\/kernel|weights_output)$/.test(name)) return [0, Math.sqrt(6 / shape.slice(0, -1).reduce((a, b) => a * b, 1))];
  if (name.endsWith('conv3/BatchNorm/gamma')) return [0.2, 0.1];
  if (name.endsWith('/gamma')) return [0.75, 0.25];
  if (name.endsWith('/moving_variance')) return [1, 0.5];
  return [0, 0.1];
}

/** resnet_gru_reference.py's weights: variable i in name order drawn from mulberry32 seeded i + 1. */
function seededCheckpoint(vars: [string, number[]][]): Map<string, TfCheckpointTensor> {
  const sorted = [...vars].sort(([a], [b]) => (a < b ? -1 : 1));
  return new Map(
    sorted.map(([name, shape], i) => {
      const rng = new Rng(i + 1);
      const [offset, scale] = rule(name, shape);
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + scale * (2 * rng.next() - 1));
      return [name, { dtype: 'float', shape, values }];
    }),
  );
}

/** The largest absolute difference between the model's output on `clip` and a fixture's float64 reference. */
function worstDifference(model: tf.LayersModel, clip: Float32Array, shape: number[], expectedFile: string): number {
  const expected = new Float64Array(bytesOf(expectedFile));
  const out = tf.tidy(() => (model.predict(tf.tensor(clip, shape)) as tf.Tensor).dataSync());
  expect(out.length).toBe(expected.length);
  return Math.max(...expected.map((e, i) => Math.abs(e - out[i]!)));
}

const checkpoint = (vars: [string, number[]][]) => new Map(vars.map(([n, s], i) => [n, filled(s, i + 1)]));

describe('loadAffWildTf1Checkpoint', () => {
  it('reproduces the TF1 forward pass of a small VGGFace-GRU checkpoint (≤ 1e-5)', async () => {
    const model = createAffWildNet(SMALL);
    const report = await loadAffWildTf1Checkpoint(model, `${FIXTURE}vggface-gru-small/model.ckpt`);
    expect(report.network).toBe('vggface-gru');
    expect(report.loaded).toHaveLength(4 * 2 + 2 + 2 * 4 + 2);
    expect(report.unused.sort()).toEqual(['conv_1/weights/Adam', 'global_step']);
    expect(worstDifference(model, new Float32Array(bytesOf('clip.f32')), [2, 5, 32, 32, 3], 'expected.f64')).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('fills every weight of the full-size VGGFace-GRU from the released names', () => {
    const model = createAffWildNet({ backbone: 'vgg16', gruUnits: 8 }); // 8 units: tfjs's orthogonal init is slow at 128
    const widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
    const vars: [string, number[]][] = [];
    widths.forEach((out, k) => vars.push([`conv_${k + 1}/weights`, [3, 3, k === 0 ? 3 : widths[k - 1]!, out]], [`conv_${k + 1}/biases`, [out]]));
    vars.push(['linear_1/weights', [4608, 4096]], ['linear_1/biases', [4096]], ...gruVariables('rnn_1', 4096, 8, 2));
    vars.push(['rnn_1/weights_rnn', [8, 2]], ['rnn_1/biases_rnn', [2]]);
    const report = assignAffWildTf1Weights(model, checkpoint(vars));
    expect([report.network, report.unused, report.loaded.length]).toEqual(['vggface-gru', [], vars.length]);
    expect(model.getLayer('vgg_b5_conv3').getWeights()[1]!.dataSync()[0]).toBeCloseTo(26, 5); // conv_13/biases, the 26th
    expect(model.getLayer('fc').getWeights()[0]!.shape).toEqual([4608, 4096]);
    model.dispose();
  });

  it('fills every weight of the ResNet-GRU from TF-slim resnet_v1_50 names', () => {
    const model = createAffWildNet({ backbone: 'resnet50', gruUnits: 8 });
    const vars = resnetGruVariables(8);
    expect(vars.length).toBe(5 * 53 + 8 + 2); // 53 conv + BN pairs in resnet_v1_50
    const ckpt = checkpoint(vars);
    const report = assignAffWildTf1Weights(model, ckpt);
    expect([report.network, report.unused, report.loaded.length]).toEqual(['resnet-gru', [], vars.length]);
    const seed = (name: string) => (ckpt.get(name)!.values as Float32Array)[0]!;
    const first = (layer: string, i: number) => model.getLayer(layer).getWeights()[i]!.dataSync()[0]!;
    // tfjs batch-norm weights are [gamma, beta, moving_mean, moving_variance].
    expect(first('resnet50_stem_conv', 0)).toBeCloseTo(seed('resnet_v1_50/conv1/weights'), 5);
    expect(first('resnet50_s1b1_short_bn', 3)).toBeCloseTo(seed('resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/moving_variance'), 5);
    expect(first('resnet50_s3b6_2_conv', 0)).toBeCloseTo(seed('resnet_v1_50/block3/unit_6/bottleneck_v1/conv2/weights'), 5);
    expect(first('resnet50_s4b3_3_bn', 0)).toBeCloseTo(seed('resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/gamma'), 5);
    expect(first('valence_arousal', 0)).toBeCloseTo(seed('rnn/weights_output'), 5);
    model.dispose();
  });

  it('reproduces the TF-slim ResNet-GRU forward pass on seeded weights (≤ 1e-5)', () => {
    const model = createAffWildNet({ backbone: 'resnet50', inputSize: 40, gruUnits: 8 });
    assignAffWildTf1Weights(model, seededCheckpoint(resnetGruVariables(8)));
    const rng = new Rng(1000);
    const clip = Float32Array.from({ length: 3 * 40 * 40 * 3 }, () => 2 * rng.next() - 1);
    expect(worstDifference(model, clip, [1, 3, 40, 40, 3], 'resnet-gru-expected.f64')).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe('gruFromTf1', () => {
  it("puts TF1's (r, u) gate columns and input/state rows where tfjs's (z, r, h) kernels expect them", () => {
    // 1 input, 1 unit: rows [x; h]; gates columns (r, u).
    const g = gruFromTf1({ kernel: new Float32Array([1, 2, 3, 4]), bias: new Float32Array([5, 6]) }, { kernel: new Float32Array([7, 8]), bias: new Float32Array([9]) }, 1, 1);
    expect([...g.kernel]).toEqual([2, 1, 7]);
    expect([...g.recurrentKernel]).toEqual([4, 3, 8]);
    expect([...g.bias]).toEqual([6, 5, 9]);
  });
});

const small = () => createAffWildNet(SMALL);
describeMalformed(
  'AffWildNet TF1 checkpoint',
  [
    {
      name: 'variable missing',
      run: () => {
        const m = small();
        try {
          return assignAffWildTf1Weights(m, new Map());
        } finally {
          m.dispose();
        }
      },
      error: "the checkpoint has no 'conv_1/weights' (for layer 'vgg_b1_conv1' kernel)",
    },
    {
      name: 'variable of the wrong shape (a checkpoint of another size)',
      run: async () => {
        const m = createAffWildNet({ ...SMALL, fcUnits: 32 });
        try {
          return await loadAffWildTf1Checkpoint(m, `${FIXTURE}vggface-gru-small/model.ckpt`);
        } finally {
          m.dispose();
        }
      },
      error: "'linear_1/weights' has shape [128,16], layer 'fc' kernel needs [128,32]",
    },
    {
      name: 'checkpoint files missing',
      run: async () => {
        const m = small();
        try {
          return await loadAffWildTf1Checkpoint(m, `${FIXTURE}nowhere/model.ckpt`);
        } finally {
          m.dispose();
        }
      },
      error: 'nowhere/model.ckpt.index: cannot read',
    },
  ],
  { numTensors: () => tf.memory().numTensors },
);
