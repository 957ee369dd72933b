/**
 * What the native-backend kernel tests (onnxruntime, onednn) share: convolution geometries that stress the edges
 * (strides, paddings, kernel sizes), and running a function on one backend for its outputs' values.
 */
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { initBackend, tf, type BackendName } from '../src/index.js';

export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
/** A convolution to check: input shape, kernel size, output channels, strides, padding. */
export interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}
export const convCases: ConvCase[] = [
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, strides: 1, pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, strides: 1, pad: 'valid' },
  { x: [3, 10, 7, 2], k: [3, 2], cout: 5, strides: 2, pad: 'same' },
  { x: [3, 10, 7, 2], k: [3, 3], cout: 5, strides: 2, pad: 'valid' },
  { x: [2, 11, 8, 3], k: [2, 3], cout: 2, strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 8, 9, 4], k: [1, 1], cout: 3, strides: 2, pad: 'same' },
  { x: [2, 8, 9, 4], k: [1, 1], cout: 3, strides: 1, pad: 'valid' },
  { x: [2, 12, 10, 2], k: [5, 4], cout: 3, strides: 3, pad: 1 },
  { x: [2, 7, 6, 3], k: [4, 4], cout: 2, strides: 2, pad: 'same' },
  { x: [1, 14, 14, 3], k: [7, 7], cout: 4, strides: 2, pad: 3 },
  { x: [1, 36, 33, 3], k: [3, 3], cout: 4, strides: 1, pad: 'same' },
  { x: [1, 70, 66, 2], k: [3, 3], cout: 3, strides: 2, pad: 'same' },
];
/** A case's name in test titles. */
export const convLabel = (c: ConvCase) => `x ${c.x} k ${c.k}×${c.cout} s ${c.strides} pad ${JSON.stringify(c.pad)}`;

/** `f`'s outputs on `backend`, read and disposed. */
export async function outputsOn(backend: BackendName, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend(backend);
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** tfjs's fused activations, each a FusedConv2D case. */
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;

/**
 * A FusedConv2D call with a bias and `activation` on fixed random data (2×8×7×3 input, 3×3×3×5 filter scaled by
 * `filterScale`, strides [2, 1], 'same'), to run on each backend.
 */
export function fusedConvCase(activation: (typeof FUSED_ACTIVATIONS)[number], filterScale = 1): () => tf.Tensor {
  const xShape: [number, number, number, number] = [2, 8, 7, 3];
  const rng = new Rng(11);
  const xv = randn(rng, xShape);
  const wv = randn(rng, [3, 3, 3, 5]).map((v) => v * filterScale);
  const bv = randn(rng, [5]);
  const pv = randn(rng, [5]).map((v) => v * 0.3);
  return () =>
    tf.fused.conv2d({
      x: tf.tensor4d(xv, xShape),
      filter: tf.tensor4d(wv, [3, 3, 3, 5]),
      strides: [2, 1],
      pad: 'same',
      bias: tf.tensor1d(bv),
      activation,
      preluActivationWeights: activation === 'prelu' ? tf.tensor1d(pv) : undefined,
      leakyreluAlpha: 0.15,
    });
}

/** A conv case's output and both gradients (under a non-uniform upstream gradient), on data seeded by `seed`. */
export function convGradCase(c: ConvCase, seed: number): () => tf.Tensor[] {
  const rng = new Rng(c.x.reduce((a, b) => a * 31 + b, seed));
  const xv = randn(rng, c.x);
  const wv = randn(rng, [...c.k, c.x[3], c.cout]);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, [...c.k, c.x[3], c.cout]);
    const y = tf.conv2d(x, w, c.strides, c.pad);
    const dy = tf.sin(tf.range(0, y.size).reshape(y.shape));
    const [dx, dw] = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad).mul(dy).sum())([x, w]);
    return [y, dx!, dw!];
  };
}
