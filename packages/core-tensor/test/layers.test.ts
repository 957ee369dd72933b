import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  basicBlock,
  bottleneckBlock,
  convBnAct,
  encoderDecoder,
  fileSystemIO,
  FoldTimeLayer,
  initBackend,
  irBlock,
  recurrentStack,
  resnet50Features,
  tf,
  timeDistributedCnn,
  UnfoldTimeLayer,
  upsample,
  VGG16_BLOCKS,
  vggStack,
} from '../src/index.js';
import { Rng } from '@facelab/runtime';
import { randn, readGolden, relErr } from '@facelab/test-utils';
import { valuesOn } from '@facelab/test-utils/backends';

interface Golden {
  params: { block: string; config: Record<string, unknown>; params: number; bnStats: number }[];
  forwards: {
    block: string;
    config: { inChannels: number; filters?: number; strides?: number; blocks?: number[][] };
    weights: Record<string, unknown>;
    input: number[][][][];
    output: number[][][][];
  }[];
}
const golden = readGolden<Golden>(import.meta.url, 'layer-params.json');

beforeAll(async () => {
  await initBackend('cpu');
});

/** A model from `inShape` (no batch) through `block`. */
function modelOf(inShape: (number | null)[], block: (x: tf.SymbolicTensor) => tf.SymbolicTensor): tf.LayersModel {
  const input = tf.input({ shape: inShape });
  return tf.model({ inputs: input, outputs: block(input) });
}

/** Elements of a fully known shape (a null dimension makes it NaN, failing any count comparison). */
const numel = (shape: (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? Number.NaN), 1);
const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + numel(w.shape), 0);
/** Trainable parameters and non-trainable ones (here: batch-norm moving statistics). */
function counts(m: tf.LayersModel): { params: number; bnStats: number } {
  return { params: size(m.trainableWeights), bnStats: size(m.nonTrainableWeights) };
}

function goldenCounts(block: string, config: Record<string, unknown>) {
  const hit = golden.params.find((p) => p.block === block && JSON.stringify(p.config) === JSON.stringify(config));
  if (!hit) throw new Error(`no golden parameter count for ${block} ${JSON.stringify(config)}`);
  return { params: hit.params, bnStats: hit.bnStats };
}

/** Sets every weight of `m` to seeded values (variances positive), so saved and loaded states are non-trivial. */
function randomiseWeights(m: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  const values = m.weights.map((w) => {
    const n = numel(w.shape);
    const positive = w.name.includes('moving_variance');
    const data = Float32Array.from({ length: n }, () => (positive ? rng.uniform(0.5, 2) : rng.normal(0, 0.3)));
    return tf.tensor(data, w.shape as number[]);
  });
  m.setWeights(values);
  tf.dispose(values);
}

describe('convBnAct', () => {
  it('gives conv → BN → activation with the right shapes and parameter counts', () => {
    const m = modelOf([9, 9, 3], (x) => convBnAct(x, { filters: 5, strides: 2, activation: 'prelu', name: 'c' }));
    expect(m.outputs[0]!.shape).toEqual([null, 5, 5, 5]); // SAME, stride 2: ceil(9 / 2)
    // conv 3·3·3·5 (no bias) + BN γ,β 2·5 + PReLU one slope per channel 5; BN moving mean, var 2·5
    expect(counts(m)).toEqual({ params: 3 * 3 * 3 * 5 + 2 * 5 + 5, bnStats: 2 * 5 });
    expect(m.layers.map((l) => l.name)).toEqual(
      ['input1', 'c_conv', 'c_bn', 'c_prelu'].map((n, i) => (i ? n : m.layers[0]!.name)),
    );
    m.dispose();
  });

  it('supports bias, valid and symmetric numeric padding, and each activation', () => {
    const m = modelOf([8, 8, 2], (x) => {
      const a = convBnAct(x, {
        filters: 4,
        kernelSize: 3,
        padding: 'valid',
        useBias: true,
        activation: 'leakyRelu',
        name: 'a',
      });
      return convBnAct(a, { filters: 3, kernelSize: 3, strides: 2, padding: 1, activation: 'linear', name: 'b' });
    });
    // a: (8 − 3) + 1 = 6; b: floor((6 + 2 − 3) / 2) + 1 = 3
    expect(m.outputs[0]!.shape).toEqual([null, 3, 3, 3]);
    // a: conv 3·3·2·4 + bias 4 + BN 2·4; b: conv 3·3·4·3 + BN 2·3
    expect(counts(m)).toEqual({ params: 3 * 3 * 2 * 4 + 4 + 2 * 4 + 3 * 3 * 4 * 3 + 2 * 3, bnStats: 2 * 4 + 2 * 3 });
    m.dispose();
  });

  it('computes leaky ReLU with the given slope after inference-mode BN (hand-computed)', () => {
    const m = modelOf([1, 1, 1], (x) =>
      convBnAct(x, { filters: 1, kernelSize: 1, activation: 'leakyRelu', leakyAlpha: 0.1, bnEpsilon: 0, name: 'l' }),
    );
    // kernel 2; BN γ 3, β 1, mean 0.5, var 4 → y = 3 (2x − 0.5) / 2 + 1; x = −1 → −2.75 → ×0.1
    m.setWeights([tf.tensor4d([[[[2]]]]), tf.tensor1d([3]), tf.tensor1d([1]), tf.tensor1d([0.5]), tf.tensor1d([4])]);
    const y = tf.tidy(() => (m.predict(tf.tensor4d([[[[-1]]], [[[1]]]])) as tf.Tensor).dataSync());
    expect(y[0]).toBeCloseTo(-0.275, 6);
    expect(y[1]).toBeCloseTo(3.25, 6); // 3 (2 − 0.5) / 2 + 1
    m.dispose();
  });

  it('rejects bad arguments with errors naming them', () => {
    const x = tf.input({ shape: [4, 4, 2] });
    expect(() => convBnAct(x, { filters: 0, name: 'z' })).toThrow(/'z': filters must be a positive integer, got 0/);
    expect(() => convBnAct(x, { filters: 2, padding: -1, name: 'p' })).toThrow(/p_conv: padding must be/);
    expect(() => convBnAct(x, { filters: 2, activation: 'gelu' as never, name: 'g' })).toThrow(
      /unknown activation 'gelu'/,
    );
    expect(() => convBnAct(tf.input({ shape: [4, 2] }), { filters: 2, name: 'r' })).toThrow(
      /input must be 4-D.*\[null,4,2\]/,
    );
  });
});

describe('residual blocks: shapes and parameter counts (hand arithmetic and PyTorch golden)', () => {
  const cases: {
    block: 'irBlock' | 'basicBlock' | 'bottleneckBlock';
    inChannels: number;
    filters: number;
    strides: number;
    hand: { params: number; bnStats: number };
    outChannels: number;
  }[] = [
    // irBlock: BN0 2·Cin + conv1 9·Cin·F + BN1 2F + PReLU F + conv2 9·F·F + BN2 2F (+ shortcut conv Cin·F + BN 2F)
    {
      block: 'irBlock',
      inChannels: 8,
      filters: 8,
      strides: 1,
      outChannels: 8,
      hand: { params: 2 * 8 + 9 * 8 * 8 + 2 * 8 + 8 + 9 * 8 * 8 + 2 * 8, bnStats: 2 * 8 + 2 * 8 + 2 * 8 },
    },
    {
      block: 'irBlock',
      inChannels: 8,
      filters: 16,
      strides: 2,
      outChannels: 16,
      hand: {
        params: 2 * 8 + 9 * 8 * 16 + 2 * 16 + 16 + 9 * 16 * 16 + 2 * 16 + 8 * 16 + 2 * 16,
        bnStats: 2 * 8 + 3 * 2 * 16,
      },
    },
    {
      block: 'irBlock',
      inChannels: 64,
      filters: 128,
      strides: 2,
      outChannels: 128,
      hand: {
        params: 2 * 64 + 9 * 64 * 128 + 2 * 128 + 128 + 9 * 128 * 128 + 2 * 128 + 64 * 128 + 2 * 128,
        bnStats: 2 * 64 + 3 * 2 * 128,
      },
    },
    // basicBlock: conv 9·Cin·F + BN 2F + conv 9·F·F + BN 2F (+ shortcut Cin·F + 2F)
    {
      block: 'basicBlock',
      inChannels: 8,
      filters: 8,
      strides: 1,
      outChannels: 8,
      hand: { params: 9 * 8 * 8 + 2 * 8 + 9 * 8 * 8 + 2 * 8, bnStats: 2 * 2 * 8 },
    },
    {
      block: 'basicBlock',
      inChannels: 64,
      filters: 128,
      strides: 2,
      outChannels: 128,
      hand: { params: 9 * 64 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128 + 64 * 128 + 2 * 128, bnStats: 3 * 2 * 128 },
    },
    // bottleneck: conv1×1 Cin·F + 2F + conv3×3 9·F·F + 2F + conv1×1 F·4F + 2·4F (+ shortcut Cin·4F + 2·4F)
    {
      block: 'bottleneckBlock',
      inChannels: 16,
      filters: 4,
      strides: 1,
      outChannels: 16,
      hand: { params: 16 * 4 + 2 * 4 + 9 * 4 * 4 + 2 * 4 + 4 * 16 + 2 * 16, bnStats: 2 * 4 + 2 * 4 + 2 * 16 },
    },
    {
      block: 'bottleneckBlock',
      inChannels: 64,
      filters: 64,
      strides: 1,
      outChannels: 256,
      hand: {
        params: 64 * 64 + 2 * 64 + 9 * 64 * 64 + 2 * 64 + 64 * 256 + 2 * 256 + 64 * 256 + 2 * 256,
        bnStats: 2 * 64 * 2 + 2 * 256 * 2,
      },
    },
    {
      block: 'bottleneckBlock',
      inChannels: 256,
      filters: 128,
      strides: 2,
      outChannels: 512,
      hand: {
        params: 256 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128 + 128 * 512 + 2 * 512 + 256 * 512 + 2 * 512,
        bnStats: 2 * 128 * 2 + 2 * 512 * 2,
      },
    },
  ];
  const blocks = { irBlock, basicBlock, bottleneckBlock };

  for (const c of cases) {
    it(`${c.block} ${c.inChannels}→${c.filters} stride ${c.strides}`, () => {
      const m = modelOf([6, 6, c.inChannels], (x) =>
        blocks[c.block](x, { filters: c.filters, strides: c.strides, name: 'blk' }),
      );
      const side = c.strides === 2 ? 3 : 6;
      expect(m.outputs[0]!.shape).toEqual([null, side, side, c.outChannels]);
      expect(counts(m)).toEqual(c.hand);
      expect(counts(m)).toEqual(
        goldenCounts(c.block, { inChannels: c.inChannels, filters: c.filters, strides: c.strides }),
      );
      m.dispose();
    });
  }

  it('irBlock has no activation after the add and PReLU slopes start at 0.25', () => {
    const m = modelOf([4, 4, 2], (x) => irBlock(x, { filters: 2, name: 'ir' }));
    expect(m.outputLayers[0]!.getClassName()).toBe('Add');
    const prelu = m.getLayer('ir_1_prelu');
    expect(prelu.getWeights()[0]!.shape).toEqual([1, 1, 2]);
    expect(Array.from(prelu.getWeights()[0]!.dataSync())).toEqual([0.25, 0.25]);
    const bn = m.getLayer('ir_bn0').getConfig();
    expect([bn.epsilon, bn.momentum]).toEqual([2e-5, 0.9]);
    m.dispose();
  });
});

describe('forward pass against PyTorch with the same weights (float64 reference)', () => {
  /** tfjs layer name of each PyTorch submodule, per block. */
  const layerOf: Record<string, Record<string, string>> = {
    irBlock: {
      bn0: 'b_bn0',
      conv1: 'b_1_conv',
      bn1: 'b_1_bn',
      prelu: 'b_1_prelu',
      conv2: 'b_2_conv',
      bn2: 'b_2_bn',
      'short.conv': 'b_short_conv',
      'short.bn': 'b_short_bn',
    },
    resnet: {
      'c1.conv': 'b_1_conv',
      'c1.bn': 'b_1_bn',
      'c2.conv': 'b_2_conv',
      'c2.bn': 'b_2_bn',
      'c3.conv': 'b_3_conv',
      'c3.bn': 'b_3_bn',
      'short.conv': 'b_short_conv',
      'short.bn': 'b_short_bn',
    },
    vggStack: { '0': 'b_b1_conv1', '2': 'b_b1_conv2', '5': 'b_b2_conv1' }, // nn.Sequential indices
  };
  /** PyTorch tensors of one submodule in tfjs weight order and layout. */
  function tfjsWeights(w: Record<string, unknown>, module: string, layer: tf.layers.Layer): tf.Tensor[] {
    const cls = layer.getClassName();
    const t = (key: string) => tf.tensor(w[`${module}.${key}`] as number[]);
    if (cls === 'Conv2D') {
      const kernel = tf.tidy(() => t('weight').transpose([2, 3, 1, 0])); // [O,I,kh,kw] → [kh,kw,I,O]
      return `${module}.bias` in w ? [kernel, t('bias')] : [kernel];
    }
    if (cls === 'BatchNormalization' || cls === 'FacelabBatchNorm') return ['weight', 'bias', 'running_mean', 'running_var'].map(t);
    if (cls === 'PReLU') return [tf.tidy(() => t('weight').reshape([1, 1, -1]))];
    throw new Error(`no weight mapping for ${cls}`);
  }

  for (const g of golden.forwards) {
    const { inChannels, filters = 0, strides, blocks } = g.config;
    const title = blocks ? JSON.stringify(blocks) : `${inChannels}→${filters} stride ${strides}`;
    it(`${g.block} ${title}`, () => {
      const residual = { irBlock, basicBlock, bottleneckBlock }[g.block as 'irBlock'];
      const build = (x: tf.SymbolicTensor) =>
        g.block === 'vggStack'
          ? vggStack(x, { blocks: blocks!, name: 'b' })
          : residual(x, { filters, strides, name: 'b' });
      const m = modelOf([g.input[0]!.length, g.input[0]![0]!.length, inChannels], build);
      const modules = layerOf[g.block === 'irBlock' || g.block === 'vggStack' ? g.block : 'resnet']!;
      const mapping = Object.entries(modules).filter(([mod]) => `${mod}.weight` in g.weights);
      expect(mapping.length * 1).toBe(m.layers.filter((l) => l.weights.length > 0).length); // every weighted layer mapped
      for (const [mod, layerName] of mapping) {
        const layer = m.getLayer(layerName);
        const ws = tfjsWeights(g.weights, mod, layer);
        layer.setWeights(ws);
        tf.dispose(ws);
      }
      const y = tf.tidy(() => (m.predict(tf.tensor(g.input)) as tf.Tensor).arraySync()) as number[][][][];
      const want = g.output.flat(3);
      const got = y.flat(3);
      expect(got.length).toBe(want.length);
      const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!) / (1 + Math.abs(want[i]!))));
      expect(worst).toBeLessThan(1e-5);
      m.dispose();
    });
  }
});

describe('backbones', () => {
  it('vggStack: tiny stack matches hand arithmetic and PyTorch; pool padding', () => {
    const m = modelOf([5, 5, 3], (x) => vggStack(x, { blocks: [[4, 4], [8]], name: 'v' }));
    // conv 3·3·3·4+4, conv 3·3·4·4+4, conv 3·3·4·8+8; SAME pooling: 5 → 3 → 2
    expect(m.outputs[0]!.shape).toEqual([null, 2, 2, 8]);
    const hand = 9 * 3 * 4 + 4 + 9 * 4 * 4 + 4 + 9 * 4 * 8 + 8;
    expect(counts(m)).toEqual({ params: hand, bnStats: 0 });
    expect(counts(m)).toEqual(goldenCounts('vggStack', { inChannels: 3, blocks: [[4, 4], [8]] }));
    m.dispose();
    const valid = modelOf([5, 5, 3], (x) => vggStack(x, { blocks: [[2], [2]], poolPadding: 'valid', name: 'v' }));
    expect(valid.outputs[0]!.shape).toEqual([null, 1, 1, 2]); // 5 → 2 → 1
    valid.dispose();
    expect(() => vggStack(tf.input({ shape: [4, 4, 1] }), { blocks: [[4], []], name: 'bad' })).toThrow(
      /blocks\[1\] must be a non-empty/,
    );
  });

  it('vggStack VGG16_BLOCKS has the 14 714 688 parameters of VGG-16’s convolutions', () => {
    const m = modelOf([32, 32, 3], (x) => vggStack(x, { blocks: VGG16_BLOCKS, name: 'vgg' }));
    expect(m.outputs[0]!.shape).toEqual([null, 1, 1, 512]);
    // Σ 9·Cin·Cout + Cout over 3→64→64 | →128→128 | →256×3 | →512×3 | 512×3
    const chain = [3, 64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
    const hand = chain.slice(0, -1).reduce((n, cin, i) => n + 9 * cin * chain[i + 1]! + chain[i + 1]!, 0);
    expect(hand).toBe(14_714_688);
    expect(counts(m)).toEqual({ params: hand, bnStats: 0 });
    expect(counts(m)).toEqual(goldenCounts('vggStack', { inChannels: 3, blocks: VGG16_BLOCKS }));
    m.dispose();
  });

  it('resnet50Features: 2048-d output and the 23 508 032 parameters of ResNet-50 without fc', () => {
    const m = modelOf([64, 64, 3], (x) => resnet50Features(x, { name: 'r50' }));
    expect(m.outputs[0]!.shape).toEqual([null, 2048]);
    // stem conv 7·7·3·64 + BN 2·64; stage s: first block (shortcut) + (n − 1) identity blocks
    const bottleneck = (cin: number, f: number, short: boolean) =>
      cin * f + 2 * f + 9 * f * f + 2 * f + f * 4 * f + 2 * 4 * f + (short ? cin * 4 * f + 2 * 4 * f : 0);
    let hand = 7 * 7 * 3 * 64 + 2 * 64;
    let cin = 64;
    for (const [n, f] of [
      [3, 64],
      [4, 128],
      [6, 256],
      [3, 512],
    ] as const) {
      hand += bottleneck(cin, f, true) + (n - 1) * bottleneck(4 * f, f, false);
      cin = 4 * f;
    }
    expect(hand).toBe(23_508_032);
    expect(counts(m).params).toBe(hand);
    expect(counts(m)).toEqual(goldenCounts('resnet50Features', { inChannels: 3 }));
    const y = tf.tidy(() => (m.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor).shape);
    expect(y).toEqual([1, 2048]);
    m.dispose();
    const map = modelOf([64, 64, 3], (x) => resnet50Features(x, { pooling: 'none', name: 'r' }));
    expect(map.outputs[0]!.shape).toEqual([null, 2, 2, 2048]);
    map.dispose();
  });
});

describe('sequence models', () => {
  /** A small per-frame CNN: [H, W, 1] → [8]. */
  function frameCnn(h: number, w: number): tf.LayersModel {
    const f = tf.input({ shape: [h, w, 1] });
    const y = vggStack(convBnAct(f, { filters: 4, name: 'f_stem' }), { blocks: [[8]], name: 'f_vgg' });
    return tf.model({
      inputs: f,
      outputs: tf.layers.globalAveragePooling2d({ name: 'f_gap' }).apply(y) as tf.SymbolicTensor,
      name: 'frame_cnn',
    });
  }

  it('time-distributed CNN → stacked GRU/LSTM: shapes and parameter counts', () => {
    const clip = tf.input({ shape: [3, 8, 8, 1] });
    const feats = timeDistributedCnn(clip, { cnn: frameCnn(8, 8), name: 'td' });
    expect(feats.shape).toEqual([null, 3, 8]);
    const gru = recurrentStack(feats, { cell: 'gru', units: 5, layers: 2, dropout: 0.2, name: 'gru' });
    expect(gru.shape).toEqual([null, 3, 5]);
    const lstm = recurrentStack(feats, { cell: 'lstm', units: 6, layers: 3, returnSequences: false, name: 'lstm' });
    expect(lstm.shape).toEqual([null, 6]);
    const m = tf.model({ inputs: clip, outputs: [gru, lstm] });
    // CNN: conv 9·1·4 + BN 2·4 + conv 9·4·8 + 8. GRU (tfjs, one bias): 3u(in + u + 1); LSTM: 4u(in + u + 1).
    const cnn = 9 * 1 * 4 + 2 * 4 + 9 * 4 * 8 + 8;
    const gruParams = 3 * 5 * (8 + 5 + 1) + 3 * 5 * (5 + 5 + 1);
    const lstmParams = 4 * 6 * (8 + 6 + 1) + 2 * 4 * 6 * (6 + 6 + 1);
    expect(counts(m)).toEqual({ params: cnn + gruParams + lstmParams, bnStats: 2 * 4 });
    expect(m.getLayer('gru_drop1').getClassName()).toBe('Dropout');
    expect(() => m.getLayer('gru_drop2')).toThrow(); // no dropout after the last layer
    const [a, b] = tf.tidy(() => (m.predict(tf.ones([2, 3, 8, 8, 1])) as tf.Tensor[]).map((t) => t.shape));
    expect([a, b]).toEqual([
      [2, 3, 5],
      [2, 6],
    ]);
    m.dispose();
  });

  it('fold and timeDistributed apply the same per-frame CNN (inference), for any clip length', () => {
    const cnn = frameCnn(6, 6);
    const twin = frameCnn(6, 6); // a model may hold a given layer once: the second path gets a copy
    const m = modelOf([null, 6, 6, 1], (x) => {
      const a = timeDistributedCnn(x, { cnn, name: 'fold' });
      const b = timeDistributedCnn(x, { cnn: twin, impl: 'timeDistributed', name: 'td' });
      return tf.layers.concatenate({ axis: -1 }).apply([a, b]) as tf.SymbolicTensor;
    });
    randomiseWeights(m, 9);
    twin.setWeights(cnn.getWeights());
    expect(m.getLayer('fold_fold').getClassName()).toBe('FacelabFoldTime');
    for (const t of [1, 4]) {
      const [viaFold, viaLoop, oneFrame] = tf.tidy(() => {
        const clip = tf.randomNormal([2, t, 6, 6, 1], 0, 1, 'float32', t);
        const y = m.predict(clip) as tf.Tensor;
        expect(y.shape).toEqual([2, t, 16]);
        const [f, l] = tf.split(y, 2, -1);
        // the last frame of the second clip through the CNN alone
        const frame = clip.slice([1, t - 1], [1, 1]).reshape([1, 6, 6, 1]);
        return [f!.arraySync(), l!.arraySync(), (cnn.predict(frame) as tf.Tensor).arraySync()] as number[][][][];
      });
      viaFold.flat(2).forEach((v, i) => expect(v).toBeCloseTo(viaLoop.flat(2)[i]!, 5));
      viaFold[1]![t - 1]!.forEach((v, i) => expect(v).toBeCloseTo((oneFrame as unknown as number[][])[0]![i]!, 5));
    }
    m.dispose();
  });

  it('FoldTimeLayer / UnfoldTimeLayer reshape [B, T, ...] ↔ [B·T, ...] and name bad inputs', () => {
    const fold = new FoldTimeLayer({ name: 'f' });
    const unfold = new UnfoldTimeLayer({ name: 'u' });
    expect(fold.computeOutputShape([2, 3, 4, 5])).toEqual([6, 4, 5]);
    expect(fold.computeOutputShape([null, 3, 4])).toEqual([null, 4]);
    expect(
      unfold.computeOutputShape([
        [null, 7],
        [null, 3, 4, 5],
      ]),
    ).toEqual([null, 3, 7]);
    tf.tidy(() => {
      const x = tf.range(0, 2 * 3 * 2).reshape([2, 3, 2]);
      const folded = fold.apply(x) as tf.Tensor;
      expect(folded.arraySync()).toEqual([
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
        [10, 11],
      ]);
      expect((unfold.apply([folded, x]) as tf.Tensor).arraySync()).toEqual(x.arraySync());
      expect(() => fold.apply(tf.zeros([2, 3]))).toThrow(/FacelabFoldTime 'f': input must have rank ≥ 3/);
      expect(() => unfold.apply([tf.zeros([5, 2]), x])).toThrow(/FacelabUnfoldTime 'u': folded batch 5 is not 2·3/);
    });
  });

  it('GRU step matches the hand-computed recurrence (sigmoid gates, reset before the product)', () => {
    const m = modelOf([2, 1], (x) => recurrentStack(x, { cell: 'gru', units: 1, layers: 1, name: 'g' }));
    // kernel [wz, wr, wh], recurrent [uz, ur, uh], bias [bz, br, bh]
    const [wz, wr, wh, uz, ur, uh, bz, br, bh] = [0.5, -0.3, 0.8, 0.2, 0.4, -0.6, 0.1, 0, -0.2];
    m.setWeights([tf.tensor2d([[wz, wr, wh]]), tf.tensor2d([[uz, ur, uh]]), tf.tensor1d([bz, br, bh])]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    let h = 0;
    const want: number[] = [];
    for (const x of [1, 2]) {
      const z = sig(wz * x + uz * h + bz);
      const r = sig(wr * x + ur * h + br);
      const cand = Math.tanh(wh * x + uh * (r * h) + bh);
      h = z * h + (1 - z) * cand;
      want.push(h);
    }
    const got = tf.tidy(() => Array.from((m.predict(tf.tensor3d([[[1], [2]]])) as tf.Tensor).dataSync()));
    expect(got[0]).toBeCloseTo(want[0]!, 6);
    expect(got[1]).toBeCloseTo(want[1]!, 6);
    m.dispose();
  });

  it('rejects bad sequence inputs', () => {
    const cnn = frameCnn(8, 8);
    expect(() => timeDistributedCnn(tf.input({ shape: [8, 8, 1] }), { cnn, name: 't' })).toThrow(/must be 5-D/);
    expect(() =>
      timeDistributedCnn(tf.input({ shape: [2, 8, 8, 1] }), { cnn, impl: 'vmap' as never, name: 't' }),
    ).toThrow(/impl must be 'fold' or 'timeDistributed', got 'vmap'/);
    expect(() => timeDistributedCnn(tf.input({ shape: [2, 6, 8, 1] }), { cnn, name: 't' })).toThrow(
      /frames have shape \[6,8,1\] but cnn 'frame_cnn' takes \[8,8,1\]/,
    );
    expect(() => recurrentStack(tf.input({ shape: [4] }), { cell: 'gru', units: 2, layers: 1, name: 'r' })).toThrow(
      /must be 3-D/,
    );
    expect(() =>
      recurrentStack(tf.input({ shape: [2, 4] }), { cell: 'rnn' as never, units: 2, layers: 1, name: 'r' }),
    ).toThrow(/cell must be 'gru' or 'lstm'/);
    expect(() =>
      recurrentStack(tf.input({ shape: [2, 4] }), { cell: 'gru', units: 2, layers: 1, dropout: 1, name: 'r' }),
    ).toThrow(/dropout must be in \[0, 1\)/);
    expect(() =>
      recurrentStack(tf.input({ shape: [2, 4] }), { cell: 'gru', units: 2, layers: 1, init: 'torch' as never, name: 'r' }),
    ).toThrow(/init must be 'keras' or 'pytorch'/);
    cnn.dispose();
  });
});

describe("recurrentStack init: 'pytorch'", () => {
  it('draws every kernel and bias from U(−1/√units, 1/√units), seeded, fast at 256 units', () => {
    const x = tf.input({ shape: [null, 40] });
    const t0 = Date.now();
    const build = () =>
      tf.model({ inputs: x, outputs: recurrentStack(x, { cell: 'lstm', units: 256, layers: 2, init: 'pytorch', seed: 3, name: 'p' }) });
    const m = build();
    expect(Date.now() - t0).toBeLessThan(20_000);
    const bound = 1 / Math.sqrt(256);
    for (const w of m.getWeights()) {
      const v = Array.from(w.dataSync());
      const [lo, hi] = v.reduce(([a, b], x) => [Math.min(a, x), Math.max(b, x)], [Infinity, -Infinity]);
      expect(hi).toBeLessThanOrEqual(bound);
      expect(lo).toBeGreaterThanOrEqual(-bound);
      expect(hi).toBeGreaterThan(0.9 * bound); // spread over the range, not zero
    }
    const again = build();
    expect(again.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(m.getWeights().map((w) => Array.from(w.dataSync())));
    m.dispose();
    again.dispose();
  });
});

describe('upsample and encoderDecoder', () => {
  const img = [1, 2, 3, 4]; // 2×2, one channel
  const up = (mode: 'nearest' | 'bilinear' | 'transposed', setup?: (m: tf.LayersModel) => void) => {
    const m = modelOf([2, 2, 1], (x) => upsample(x, { factor: 2, mode, name: 'up' }));
    setup?.(m);
    const y = tf.tidy(() => Array.from((m.predict(tf.tensor4d(img, [1, 2, 2, 1])) as tf.Tensor).dataSync()));
    m.dispose();
    return y;
  };

  it('nearest repeats each pixel 2×2', () => {
    expect(up('nearest')).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('bilinear samples at out / 2 (tfjs convention, edge clamped): rows 1, 1.5, 2, 2', () => {
    // source coordinate s = o / 2 → 0, 0.5, 1, 1.5 (clamped to 1); value = lerp along rows then columns
    const row = (a: number, b: number) => [a, (a + b) / 2, b, b];
    const top = row(1, 2);
    const bottom = row(3, 4);
    const mid = top.map((v, i) => (v + bottom[i]!) / 2);
    const got = up('bilinear');
    const want = [...top, ...mid, ...bottom, ...bottom];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('transposed (kernel = stride = 2) places x·w[a,b] + bias at (2i + a, 2j + b)', () => {
    const w = [1, 2, 3, 4]; // w[a][b], kernel [kh, kw, out, in]
    const got = up('transposed', (m) => {
      const layer = m.getLayer('up');
      expect(layer.getWeights()[0]!.shape).toEqual([2, 2, 1, 1]);
      layer.setWeights([tf.tensor4d(w, [2, 2, 1, 1]), tf.tensor1d([0.5])]);
    });
    const want: number[] = [];
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++) want.push(img[(r >> 1) * 2 + (c >> 1)]! * w[(r % 2) * 2 + (c % 2)]! + 0.5);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('transposed takes filters and kernelSize; bad modes and factors are named', () => {
    const m = modelOf([3, 3, 2], (x) =>
      upsample(x, { factor: 3, mode: 'transposed', filters: 5, kernelSize: 4, name: 't' }),
    );
    expect(m.outputs[0]!.shape).toEqual([null, 9, 9, 5]);
    expect(counts(m).params).toBe(4 * 4 * 5 * 2 + 5); // kernel 4·4·out·in + bias
    m.dispose();
    const x = tf.input({ shape: [2, 2, 1] });
    expect(() => upsample(x, { factor: 2, mode: 'cubic' as never, name: 'u' })).toThrow(
      /mode must be 'nearest', 'bilinear' or 'transposed', got 'cubic'/,
    );
    expect(() => upsample(x, { factor: 1.5, mode: 'nearest', name: 'u' })).toThrow(
      /factor must be a positive integer, got 1.5/,
    );
  });

  it('U-Net with skips and transposed upsampling: shapes and hand-counted parameters', () => {
    const m = modelOf([8, 8, 3], (x) =>
      encoderDecoder(x, {
        filters: [4, 8],
        skips: true,
        upsample: 'transposed',
        outChannels: 2,
        outActivation: 'sigmoid',
        name: 'u',
      }),
    );
    expect(m.outputs[0]!.shape).toEqual([null, 8, 8, 2]);
    const enc = 9 * 3 * 4 + 2 * 4 + 9 * 4 * 4 + 2 * 4 + (9 * 4 * 8 + 2 * 8 + 9 * 8 * 8 + 2 * 8);
    const upConv = 2 * 2 * 4 * 8 + 4; // transposed 2×2, 8 → 4 channels, bias
    const dec = 9 * (4 + 4) * 4 + 2 * 4 + 9 * 4 * 4 + 2 * 4; // skip concat: 4 encoder + 4 upsampled channels
    const out = 4 * 2 + 2;
    expect(counts(m)).toEqual({ params: enc + upConv + dec + out, bnStats: 2 * (4 + 4 + 8 + 8 + 4 + 4) });
    expect(m.getLayer('u_skip1').getClassName()).toBe('Concatenate');
    const y = tf.tidy(() =>
      Array.from((m.predict(tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 3)) as tf.Tensor).dataSync()),
    );
    expect(y.every((v) => v > 0 && v < 1)).toBe(true); // sigmoid output
    m.dispose();
  });

  it('encoder-decoder without skips, nearest and bilinear: three levels, divisibility checked', () => {
    for (const mode of ['nearest', 'bilinear'] as const) {
      const m = modelOf([8, 12, 1], (x) =>
        encoderDecoder(x, { filters: [2, 3, 4], skips: false, upsample: mode, outChannels: 1, name: 'e' }),
      );
      expect(m.outputs[0]!.shape).toEqual([null, 8, 12, 1]);
      // conv-BN units, enc 1→2→2 | 2→3→3 | 3→4→4; dec (no concat) 4→3→3 | 3→2→2; out 1×1 conv 2→1 + bias
      const cbn = (cin: number, f: number) => 9 * cin * f + 2 * f;
      const hand =
        cbn(1, 2) +
        cbn(2, 2) +
        cbn(2, 3) +
        cbn(3, 3) +
        cbn(3, 4) +
        cbn(4, 4) +
        cbn(4, 3) +
        cbn(3, 3) +
        cbn(3, 2) +
        cbn(2, 2) +
        2 * 1 +
        1;
      expect(counts(m).params).toBe(hand);
      m.dispose();
    }
    expect(() =>
      encoderDecoder(tf.input({ shape: [6, 8, 1] }), {
        filters: [2, 3, 4],
        skips: true,
        upsample: 'nearest',
        outChannels: 1,
        name: 'bad',
      }),
    ).toThrow(/input height 6 must be divisible by 4/);
    expect(() =>
      encoderDecoder(tf.input({ shape: [8, 8, 1] }), {
        filters: [2],
        skips: true,
        upsample: 'nearest',
        outChannels: 1,
        outActivation: 'softmax' as never,
        name: 'bad',
      }),
    ).toThrow(/outActivation must be one of linear, sigmoid, tanh, relu, got 'softmax'/);
  });
});

describe('serialisation and memory', () => {
  /** Saves `m` through memory and file-system handlers, loads each back, checks predictions on `x` are identical. */
  async function expectRoundTrip(m: tf.LayersModel, x: tf.Tensor): Promise<void> {
    randomiseWeights(m, 11);
    const before = m.predict(x) as tf.Tensor;
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'facelab-layers-'));
    try {
      await m.save(fileSystemIO(dir));
      for (const handler of [tf.io.fromMemory(saved!), fileSystemIO(dir)]) {
        const loaded = await tf.loadLayersModel(handler);
        const after = loaded.predict(x) as tf.Tensor;
        expect(after.shape).toEqual(before.shape);
        expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
        expect(loaded.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
        after.dispose();
        loaded.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    tf.dispose([x, before]);
    m.dispose();
  }
  const normal = (shape: number[], seed: number) => {
    const rng = new Rng(seed);
    return tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      shape,
    );
  };

  it('save → load (memory, files): convBnAct, irBlock, basicBlock, bottleneckBlock, vggStack', async () => {
    const m = modelOf([8, 8, 3], (x) => {
      let y = convBnAct(x, { filters: 4, activation: 'prelu', name: 'stem' });
      y = irBlock(y, { filters: 6, strides: 2, name: 'ir' });
      y = basicBlock(y, { filters: 6, name: 'basic' });
      y = bottleneckBlock(y, { filters: 2, strides: 2, name: 'bneck' });
      return vggStack(y, { blocks: [[3]], name: 'vgg' });
    });
    await expectRoundTrip(m, normal([2, 8, 8, 3], 5));
  });

  it('save → load (memory, files): folded and time-distributed CNN → GRU and LSTM stacks', async () => {
    const frames = (name: string) => {
      const f = tf.input({ shape: [6, 6, 1] });
      const y = tf.layers
        .flatten()
        .apply(convBnAct(f, { filters: 2, strides: 2, name: `${name}_c` })) as tf.SymbolicTensor;
      return tf.model({ inputs: f, outputs: y, name });
    };
    const m = modelOf([3, 6, 6, 1], (x) => {
      const feats = tf.layers
        .add({ name: 'both' })
        .apply([
          timeDistributedCnn(x, { cnn: frames('frames_a'), name: 'fold' }),
          timeDistributedCnn(x, { cnn: frames('frames_b'), impl: 'timeDistributed', name: 'td' }),
        ]) as tf.SymbolicTensor;
      const g = recurrentStack(feats, { cell: 'gru', units: 4, layers: 2, dropout: 0.1, name: 'g' });
      return recurrentStack(g, { cell: 'lstm', units: 3, layers: 1, returnSequences: false, name: 'l' });
    });
    await expectRoundTrip(m, normal([2, 3, 6, 6, 1], 6));
  });

  it('save → load (memory, files): U-Net with transposed and bilinear upsampling', async () => {
    const m = modelOf([8, 8, 2], (x) => {
      const a = encoderDecoder(x, {
        filters: [3, 4],
        skips: true,
        upsample: 'transposed',
        outChannels: 2,
        outActivation: 'tanh',
        name: 'a',
      });
      return encoderDecoder(a, {
        filters: [2, 3, 4],
        skips: true,
        upsample: 'bilinear',
        outChannels: 1,
        activation: 'leakyRelu',
        name: 'b',
      });
    });
    await expectRoundTrip(m, normal([1, 8, 8, 2], 7));
  });

  /** One small model holding every block, for the memory, seeding and training checks. */
  function everyBlock(seed?: number): tf.LayersModel {
    const f = tf.input({ shape: [8, 8, 2] });
    let y = convBnAct(f, { filters: 4, activation: 'leakyRelu', seed, name: 'c' });
    y = basicBlock(y, { filters: 4, seed, name: 'b' });
    y = bottleneckBlock(y, { filters: 2, seed, name: 'n' });
    y = irBlock(y, { filters: 4, strides: 2, seed, name: 'i' });
    y = encoderDecoder(y, { filters: [2, 3], skips: true, upsample: 'transposed', outChannels: 2, seed, name: 'u' });
    y = vggStack(y, { blocks: [[3]], seed, name: 'v' });
    const cnn = tf.model({
      inputs: f,
      outputs: tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor,
      name: 'cnn',
    });
    return modelOf([2, 8, 8, 2], (x) =>
      recurrentStack(timeDistributedCnn(x, { cnn, name: 'td' }), {
        cell: 'gru',
        units: 2,
        layers: 2,
        returnSequences: false,
        seed,
        name: 'r',
      }),
    );
  }

  it('a seed fixes every initial weight; another seed changes every random one', () => {
    const values = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    const [a, b, c] = [everyBlock(5), everyBlock(5), everyBlock(6)];
    const [va, vb, vc] = [values(a), values(b), values(c)];
    expect(va).toEqual(vb);
    // kernels are drawn (heNormal, glorotUniform, orthogonal); BN, biases and PReLU start constant
    const drawn = a.weights.map((w, i) => [w.name, i] as const).filter(([n]) => /kernel/.test(n));
    // c 1 | b 2 (identity shortcut) | n 3 + shortcut | i 2 + shortcut | u: enc 2 + 2, up 1, dec 2, out 1 | v 1 | GRU (kernel + recurrent) × 2
    expect(drawn.length).toBe(1 + 2 + 4 + 3 + 8 + 1 + 4);
    for (const [name, i] of drawn) expect(vc[i], name).not.toEqual(va[i]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('building, predicting and disposing leaves the tensor count unchanged (50 predictions)', () => {
    const start = tf.memory().numTensors;
    const m = everyBlock();
    const withWeights = tf.memory().numTensors;
    expect(withWeights - start).toBe(m.weights.length);
    const x = tf.ones([1, 2, 8, 8, 2]);
    for (let i = 0; i < 50; i++) tf.dispose(m.predict(x));
    expect(tf.memory().numTensors).toBe(withWeights + 1);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('training steps reach every trainable weight, update BN statistics and leak nothing', async () => {
    const m = everyBlock();
    m.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    randomiseWeights(m, 3);
    const x = tf.randomNormal([2, 2, 8, 8, 2], 0, 1, 'float32', 1);
    const t = tf.randomNormal([2, 2], 0, 1, 'float32', 2);
    const before = m.weights.map((w) => Array.from(w.read().dataSync()));
    await m.trainOnBatch(x, t);
    const afterOne = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) await m.trainOnBatch(x, t);
    expect(tf.memory().numTensors).toBe(afterOne);
    const unchanged = m.weights.filter((w, i) => Array.from(w.read().dataSync()).every((v, j) => v === before[i]![j]));
    expect(unchanged.map((w) => w.name)).toEqual([]);
    tf.dispose([x, t]);
    m.dispose();
  });
});

/** Every block in one small clip model (bilinear and transposed upsampling, PReLU, GRU and LSTM). */
function clipModel(): tf.LayersModel {
  const f = tf.input({ shape: [8, 8, 2] });
  let y = convBnAct(f, { filters: 4, activation: 'prelu', seed: 1, name: 'c' });
  y = basicBlock(y, { filters: 4, seed: 1, name: 'b' });
  y = bottleneckBlock(y, { filters: 2, strides: 2, seed: 1, name: 'n' });
  y = irBlock(y, { filters: 4, seed: 1, name: 'i' });
  y = encoderDecoder(y, {
    filters: [3, 4],
    skips: true,
    upsample: 'transposed',
    outChannels: 3,
    activation: 'leakyRelu',
    seed: 1,
    name: 'u',
  });
  y = encoderDecoder(y, { filters: [2, 3], skips: false, upsample: 'bilinear', outChannels: 2, seed: 1, name: 'w' });
  y = vggStack(y, { blocks: [[3]], seed: 1, name: 'v' });
  const cnn = tf.model({
    inputs: f,
    outputs: tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor,
    name: 'cnn',
  });
  const clip = tf.input({ shape: [3, 8, 8, 2] });
  const g = recurrentStack(timeDistributedCnn(clip, { cnn, name: 'td' }), {
    cell: 'gru',
    units: 3,
    layers: 2,
    seed: 1,
    name: 'g',
  });
  const out = recurrentStack(g, { cell: 'lstm', units: 2, layers: 1, returnSequences: false, seed: 1, name: 'l' });
  return tf.model({ inputs: clip, outputs: out });
}

describe('layer blocks on wasm agree with cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    await initBackend('cpu'); // the model is built on cpu; valuesOn switches per computation
  });

  it('training-mode gradients of every weight and inference outputs (relative error < 1e-4)', async () => {
    const m = clipModel();
    const rng = new Rng(4);
    const x = randn(rng, [2, 3, 8, 8, 2]);
    const t = randn(rng, [2, 2]);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads = () => {
      const xs = tf.tensor(x, [2, 3, 8, 8, 2]);
      const { grads: g } = tf.variableGrads(() => {
        const y = m.apply(xs, { training: true }) as tf.Tensor;
        return tf.losses.meanSquaredError(tf.tensor(t, [2, 2]), y) as tf.Scalar;
      }, vars);
      return vars.map((v) => g[v.name]!);
    };
    const predict = () => m.predict(tf.tensor(x, [2, 3, 8, 8, 2])) as tf.Tensor;
    // Outputs first: a training-mode pass also moves the batch-norm statistics inference uses.
    const [cpuOut, wasmOut] = [await valuesOn('cpu', predict), await valuesOn('wasm', predict)];
    const [cpuGrads, wasmGrads] = [await valuesOn('cpu', grads), await valuesOn('wasm', grads)];
    expect(wasmGrads.length).toBe(m.trainableWeights.length);
    const worst = m.trainableWeights
      .map((w, i) => ({ name: w.name, err: relErr(wasmGrads[i]!.values, cpuGrads[i]!.values) }))
      .filter((e) => e.err > 1e-4);
    expect(worst).toEqual([]);
    expect(cpuGrads.every((g) => g.values.some((v) => v !== 0))).toBe(true); // every weight gets a gradient
    expect(relErr(wasmOut[0]!.values, cpuOut[0]!.values)).toBeLessThan(1e-4);
    await tf.setBackend('cpu');
    m.dispose();
  });
});
