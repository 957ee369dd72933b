/**
 * DilatedConv2D and ResizeToMatch in a model: shapes on a non-square input, a training step on every backend
 * (dilated conv and resize gradients inside a graph; weights move, no tensor leaked), the layer equal to
 * tf.conv2d's dilated forward, and both layers surviving a topology round trip.
 */
import { expect, it } from 'vitest';
import { describeBackends } from '@facelab/test-utils/backends';
import { bottleneckBlock, convBnAct, DilatedConv2D, ResizeToMatch, tf } from '../src/index.js';

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 3] });
  let y = convBnAct(input, { filters: 4, kernelSize: 3, strides: 2, padding: 1, seed: 1, name: 'stem' });
  y = bottleneckBlock(y, { filters: 2, dilation: 2, seed: 1, name: 'b1' });
  y = convBnAct(y, { filters: 3, kernelSize: 3, dilation: 4, padding: 'same', activation: 'linear', seed: 1, name: 'head' });
  const out = new ResizeToMatch({ name: 'up' }).apply([y, input]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describeBackends(['cpu', 'wasm', 'onnxruntime'], () => {
  it('a dilated model trains on a non-square batch without leaking tensors', () => {
    const model = tinyModel();
    const x = tf.randomNormal([2, 13, 9, 3], 0, 1, 'float32', 5);
    const target = tf.randomNormal([2, 13, 9, 3], 0, 1, 'float32', 6);
    const opt = tf.train.adam(0.01);
    const w0 = model.getWeights().map((w) => w.dataSync().slice());
    const step = () =>
      opt.minimize(() => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, target))) as tf.Scalar, false);
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    const moved = model.trainableWeights.filter((w) => w.name.includes('b1_2_conv') || w.name.includes('head_conv'));
    expect(moved.length).toBeGreaterThan(0);
    const out = model.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 13, 9, 3]);
    const changed = model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== w0[i]![j]));
    expect(changed).toBe(true);
    tf.dispose([x, target, out]);
    opt.dispose();
    model.dispose();
  });
});

it('DilatedConv2D equals tf.conv2d with dilation and round-trips through a topology', async () => {
  const input = tf.input({ shape: [7, 6, 2] });
  const layer = new DilatedConv2D({ filters: 3, kernelSize: 3, dilation: 2, padding: 'same', useBias: true, seed: 3, name: 'dc' });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const x = tf.randomNormal([1, 7, 6, 2], 0, 1, 'float32', 9);
  const [kernel, bias] = layer.getWeights();
  const want = tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same', 'NHWC', 2), bias!);
  const got = model.predict(x) as tf.Tensor;
  expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
  const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'] });
  copy.setWeights(model.getWeights());
  const again = copy.predict(x) as tf.Tensor;
  expect(Array.from(again.dataSync())).toEqual(Array.from(got.dataSync()));
  expect(() => new DilatedConv2D({ filters: 1, kernelSize: 3, dilation: 0, padding: 'same' })).toThrow(/dilation/);
  tf.dispose([x, want, got, again]);
  model.dispose();
  copy.dispose();
});
