/**
 * core-tensor's op families on every GPU backend that loads, forward and gradient, against the wasm backend
 * with facelab's kernels: products, convolutions (dilated, depthwise, transposed), batch norm, pooling,
 * resizes (non-square, every mode), the GRU recurrence, activations and losses.
 */
import { expect, it } from 'vitest';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectMatchesReference } from '@facelab/test-utils/backends';
import { batchNormTraining, crossEntropyLoss, gruRecurrence, tf } from '../../src/index.js';

/** A seeded input of `shape` (the same values on every backend). */
function input(seed: number, shape: number[]): tf.Tensor {
  return tf.tensor(randn(new Rng(seed), shape), shape);
}

/** `f`'s value and its gradients in every input, with a seeded upstream gradient so no output is a plain sum. */
function withGrads(inputs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor): tf.Tensor[] {
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
    const y = f(...xs);
    return tf.sum(tf.mul(y, input(99, y.shape)));
  })(inputs);
  return [f(...inputs), value, ...grads];
}

/** Name → inputs' shapes and the op; each is checked forward and backward. */
const OPS: [string, number[][], (...xs: tf.Tensor[]) => tf.Tensor][] = [
  ['matMul', [[3, 17, 12], [3, 12, 9]], (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D)],
  ['matMul transposed', [[12, 17], [9, 12]], (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true)],
  ['conv2d same stride 2', [[2, 9, 11, 3], [3, 3, 3, 5]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')],
  ['conv2d dilated', [[2, 10, 12, 3], [3, 3, 3, 4]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2)],
  ['depthwiseConv2d', [[2, 8, 10, 4], [3, 3, 4, 2]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')],
  ['conv2dTranspose', [[2, 5, 6, 4], [4, 4, 3, 4]], (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 10, 12, 3], 2, 'same')],
  ['batchNormTraining', [[4, 6, 5, 8], [8], [8]], (x, g, b) => batchNormTraining(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y],
  ['maxPool', [[2, 9, 12, 3]], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same')],
  ['avgPool', [[2, 9, 12, 3]], (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')],
  ['resizeBilinear', [[2, 5, 7, 3]], (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [9, 16])],
  ['resizeBilinear alignCorners', [[2, 5, 7, 3]], (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [9, 16], true)],
  ['resizeNearestNeighbor', [[2, 5, 7, 3]], (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [10, 14])],
  ['gruRecurrence', [[3, 6, 15], [5, 15]], (xw, u) => gruRecurrence(xw as tf.Tensor3D, u as tf.Tensor2D)],
  ['activations', [[4, 33]], (x) => tf.concat([tf.relu(x), tf.elu(x), tf.sigmoid(x), tf.tanh(x), tf.leakyRelu(x, 0.2), tf.prelu(x, tf.scalar(0.25))])],
  ['softmax cross-entropy', [[6, 10]], (x) => crossEntropyLoss(tf.oneHot(tf.tensor1d([0, 3, 9, 2, 2, 7], 'int32'), 10), x)],
  ['mirrorPad and tile', [[2, 4, 5, 3]], (x) => tf.tile(tf.mirrorPad(x as tf.Tensor4D, [[0, 0], [1, 1], [2, 2], [0, 0]], 'reflect'), [1, 1, 2, 1])],
];

await describeGpuBackends((backend) => {
  for (const [name, shapes, op] of OPS) {
    it(`${name}: forward and gradients`, async () => {
      await expectMatchesReference(backend, () => withGrads(shapes.map((s, i) => input(i + 1, s)), op), { label: name });
    });
  }
  it('resizeBilinear with halfPixelCenters: forward matches, the gradient throws on webgpu rather than be wrong', async () => {
    const x = () => input(1, [2, 5, 7, 3]) as tf.Tensor4D;
    await expectMatchesReference(backend, () => tf.image.resizeBilinear(x(), [9, 16], false, true), { label: 'resizeBilinear halfPixelCenters' });
    const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.image.resizeBilinear(t as tf.Tensor4D, [9, 16], false, true)))(x()));
    if (backend === 'webgpu') expect(grad).toThrow(/halfPixelCenters is not supported on 'webgpu'/);
    else await expectMatchesReference(backend, grad, { label: 'resizeBilinear halfPixelCenters gradient' });
  });
});
