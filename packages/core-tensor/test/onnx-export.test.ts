/**
 * exportOnnx per layer type: small models built from each converted layer class, with seeded random weights
 * (batch-norm statistics away from 0/1), exported and run in onnxruntime-node, outputs within 1e-4 relative
 * of tfjs's on the cpu backend (the pure-JS reference kernels). Also: opsets 13 and 18 forms, fixed batch,
 * createInferenceSession's batching, no tensor leaks, one-line errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createInferenceSession,
  DilatedConv2D,
  exportOnnx,
  FusedGru,
  initBackend,
  irBlock,
  type LayerConverter,
  ResizeToMatch,
  tf,
  timeDistributedCnn,
} from '../src/index.js';
import { Rng, parseOnnxModel } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';

const L = tf.layers;
type Sym = tf.SymbolicTensor;
const ap = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

function input(shape: number[], seed = 7): tf.Tensor {
  return tf.tensor(randn(new Rng(seed), shape), shape);
}

function build(shape: number[], body: (x: Sym) => Sym, seed = 1): tf.LayersModel {
  const x = tf.input({ shape: shape.slice(1), name: 'x' });
  const model = tf.model({ inputs: x, outputs: body(x), name: 'm' });
  randomizeWeights(model, seed);
  return model;
}

function roundTrip(shape: number[], body: (x: Sym) => Sym, options: Parameters<typeof expectOnnxRoundTrip>[2] = {}): number[] {
  const model = build(shape, body);
  const x = input(shape);
  const errors = expectOnnxRoundTrip(model, x, options);
  x.dispose();
  model.dispose();
  return errors;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('exportOnnx: spatial layers against tfjs (cpu)', () => {
  it('conv2d same/valid with strides, bias and activation; dilated; batch norm; PReLU; leaky ReLU', () => {
    roundTrip([2, 10, 9, 3], (x) => {
      let y = ap(L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), x);
      y = ap(L.batchNormalization({ epsilon: 1e-5 }), y);
      y = ap(L.prelu({ sharedAxes: [1, 2] }), y);
      y = ap(L.conv2d({ filters: 5, kernelSize: [3, 2], padding: 'valid', activation: 'relu' }), y);
      y = ap(new DilatedConv2D({ filters: 3, kernelSize: 3, dilation: 2, padding: 'same', useBias: true }), y);
      return ap(L.leakyReLU({ alpha: 0.2 }), y);
    });
  });

  it('pooling (max and average, same and valid), zero padding, global average pooling → dense', () => {
    roundTrip([2, 11, 12, 3], (x) => {
      let y = ap(L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }), x);
      y = ap(L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), y);
      y = ap(L.conv2d({ filters: 4, kernelSize: 1 }), y);
      y = ap(L.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }), y);
      const a = ap(L.globalAveragePooling2d({}), y);
      const b = ap(L.globalMaxPooling2d({}), ap(L.maxPooling2d({ poolSize: 2, padding: 'valid' }), y));
      return ap(L.dense({ units: 3, activation: 'softmax' }), ap(L.concatenate({}), [a, b]));
    });
  });

  it('transposed convolutions (kernel above, equal to and below the stride; same and valid)', () => {
    roundTrip([2, 5, 4, 3], (x) => {
      const a = ap(L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), x);
      const b = ap(L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'same' }), x);
      const c = ap(L.conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }), x);
      const d = ap(L.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2, padding: 'same' }), x);
      const e = ap(L.cropping2D({ cropping: [[0, 1], [0, 1]] }), ap(L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }), x));
      return ap(L.concatenate({}), [a, b, c, d, e]);
    }, { converters: { Cropping2D: cropping } });
  });

  it('upsampling (nearest, bilinear), resize-to-match (align corners on and off), add, multiply', () => {
    roundTrip([2, 4, 5, 3], (x) => {
      const y = ap(L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), x);
      const near = ap(L.upSampling2d({ size: [2, 3], interpolation: 'nearest' }), y);
      const bil = ap(L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), y);
      const r1 = ap(new ResizeToMatch({ alignCorners: true }), [y, x]);
      const r2 = ap(new ResizeToMatch({ alignCorners: false }), [y, x]);
      const merged = ap(L.add({}), [ap(L.multiply({}), [r1, r2]), x]);
      const flat = (t: Sym) => ap(L.flatten({}), t);
      return ap(L.concatenate({}), [flat(near), flat(bil), flat(merged)]);
    });
  });

  it("core-tensor's IR unit (BN → conv → BN → PReLU → strided conv → BN + projection shortcut) → flatten → dense → BN", () => {
    roundTrip([2, 8, 8, 4], (x) => {
      let y = irBlock(x, { filters: 6, strides: 2, name: 'u1' });
      y = irBlock(y, { filters: 6, strides: 1, name: 'u2' });
      y = ap(L.flatten({}), y);
      return ap(L.batchNormalization({}), ap(L.dense({ units: 5 }), y));
    });
  });
});

/** tfjs Cropping2D as a Slice, for the valid transposed convolution case (a converter passed by the caller). */
const cropping: LayerConverter = (ctx, layer, [x], out) => {
  const [[t, b], [l, r]] = (layer.getConfig() as { cropping: [[number, number], [number, number]] }).cropping;
  const v = ctx.nchw(x!);
  const [, h, w] = v.shape as number[];
  const name = ctx.g.node('Slice', [v.name, ctx.g.int64s([t, l]), ctx.g.int64s([h! - b, w! - r]), ctx.g.int64s([2, 3])]);
  return { name, shape: out, layout: 'nchw' };
};

describe('exportOnnx: sequences against tfjs (cpu)', () => {
  it('time folding around a nested frame CNN, FusedGru (sequences), tfjs GRU (hard sigmoid, last state), dense', () => {
    const cnnIn = tf.input({ shape: [6, 6, 2] });
    let f = ap(L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), cnnIn);
    f = ap(L.batchNormalization({}), f);
    f = ap(L.reLU({}), f);
    f = ap(L.maxPooling2d({ poolSize: 2 }), f);
    const cnn = tf.model({ inputs: cnnIn, outputs: ap(L.dense({ units: 4 }), ap(L.flatten({}), f)), name: 'frame' });
    roundTrip([2, 5, 6, 6, 2], (x) => {
      let y = timeDistributedCnn(x, { cnn, name: 'td' });
      y = ap(new FusedGru({ units: 5, returnSequences: true }), y);
      y = ap(L.gru({ units: 4, returnSequences: false }), y);
      return ap(L.dense({ units: 2 }), y);
    });
  });

  it("tfjs's TimeDistributed wrapper around the frame CNN (exported as time folding)", () => {
    const cnnIn = tf.input({ shape: [6, 6, 2] });
    const f = ap(L.maxPooling2d({ poolSize: 2 }), ap(L.batchNormalization({}), ap(L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), cnnIn)));
    const cnn = tf.model({ inputs: cnnIn, outputs: ap(L.flatten({}), f), name: 'frame_td' });
    roundTrip([2, 4, 6, 6, 2], (x) => ap(new FusedGru({ units: 3, returnSequences: true }), timeDistributedCnn(x, { cnn, impl: 'timeDistributed', name: 'td2' })));
  });

  it('LSTM (sequences and last), dense and batch norm on [B, T, C], softmax, ELU, reshape', () => {
    roundTrip([3, 6, 4], (x) => {
      let y = ap(L.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }), x);
      y = ap(L.batchNormalization({}), ap(L.dense({ units: 4 }), y));
      y = ap(L.elu({}), y);
      const last = ap(L.lstm({ units: 3 }), y);
      const seq = ap(L.reshape({ targetShape: [24] }), ap(L.softmax({ axis: -1 }), y));
      return ap(L.concatenate({}), [last, seq]);
    });
  });

  it('conv1d (same, valid), 1-D pooling, global 1-D pooling, rescaling, activation layer', () => {
    roundTrip([2, 20, 3], (x) => {
      let y = ap(L.rescaling({ scale: 0.5, offset: -0.1 }), x);
      y = ap(L.conv1d({ filters: 4, kernelSize: 5, padding: 'same', activation: 'relu' }), y);
      y = ap(L.maxPooling1d({ poolSize: 2, strides: 2 }), y);
      y = ap(L.conv1d({ filters: 3, kernelSize: 3, strides: 2, padding: 'valid' }), y);
      y = ap(L.activation({ activation: 'sigmoid' }), y);
      return ap(L.globalAveragePooling1d({}), y);
    });
  });
});

describe('exportOnnx: options, sessions and errors', () => {
  const body = (x: Sym) => ap(L.dense({ units: 3 }), ap(L.flatten({}), ap(L.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }), x)));

  it('opsets 13, 17 and 21 and a fixed batch all match; the declared shapes say so', () => {
    for (const opset of [13, 17, 21]) roundTrip([2, 5, 5, 2], body, { opset });
    const model = build([2, 5, 5, 2], body);
    const fixed = exportOnnx(model, { dynamicBatch: false, inputShape: [4, 5, 5, 2] });
    expect(fixed.inputs).toEqual([{ name: 'x', shape: [4, 5, 5, 2] }]);
    expect(fixed.outputs[0]!.shape).toEqual([4, 3]);
    expect(exportOnnx(model).inputs[0]!.shape).toEqual(['batch', 5, 5, 2]);
    // The bytes are an ONNX model the runtime's own reader walks: one Conv, one Gemm.
    const ops = parseOnnxModel(fixed.bytes).nodes.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(1);
    expect(ops.filter((o) => o === 'Gemm')).toHaveLength(1);
    model.dispose();
  });

  it('createInferenceSession: batches of any size give the same rows; no tensors leak', () => {
    const model = build([5, 5, 5, 2], body);
    const x = input([5, 5, 5, 2]);
    const session = createInferenceSession(model, { threads: 1 });
    const before = tf.memory().numTensors;
    const whole = session.predict(x, { batchSize: 5 }) as tf.Tensor;
    const split = session.predict(x, { batchSize: 2 }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(split.shape).toEqual([5, 3]);
    expect(Array.from(split.dataSync())).toEqual(Array.from(whole.dataSync()));
    const [wrong, empty] = [tf.zeros([2, 4, 5, 2]), tf.zeros([0, 5, 5, 2])];
    expect(() => session.predict(wrong)).toThrow(/input 'x' must have shape \[batch,5,5,2\], got \[2,4,5,2\]/);
    expect(() => session.predict(empty)).toThrow(/^InferenceSession: the input batch is empty$/);
    tf.dispose([wrong, empty]);
    session.dispose();
    expect(() => session.predict(x)).toThrow(/after dispose/);
    tf.dispose([whole, split, x]);
    model.dispose();
  });

  it('refuses what it cannot export, in one line naming the problem', () => {
    const model = build([2, 4, 4, 2], (x) => ap(L.layerNormalization({}), x));
    expect(() => exportOnnx(model)).toThrow(/^ONNX export: layer '.*' of class LayerNormalization has no converter/);
    expect(() => exportOnnx(model, { opset: 9 })).toThrow(/opset must be an integer from 13 to 21, got 9/);
    expect(() => exportOnnx(model, { inputShape: [1, 5, 4, 2] })).toThrow(/inputShape\[1\] = 5, but model 'm' fixes that axis to 4/);
    expect(() => exportOnnx(model, { inputShape: [1, 4, 4] })).toThrow(/has 3 axes, model 'm' takes 4/);
    model.dispose();
  });
});
