/**
 * Gradients tfjs-core lacks or gets wrong, against PyTorch autograd (test/golden/make_conv_resize_grads.py)
 * to 1e-4 relative error on every backend: dilated conv2d (dx and dW; square and non-square, batch > 1,
 * 'same' and 'valid', unequal dilations) and bilinear resize (align-corners and half-pixel centres,
 * non-square, up and down). Plus the adjoint identity ⟨R x, g⟩ = ⟨x, Rᵀ g⟩ for tfjs's legacy resize mode,
 * which PyTorch has no equivalent of.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { env, Rng } from '@facelab/runtime';
import { describeBackends } from '@facelab/test-utils/backends';
import { randn, readGolden, relErr } from '@facelab/test-utils';
import { initBackend, tf } from '../src/index.js';

type Nested = number | Nested[];
interface ConvCase { x: Nested; w: Nested; dilations: [number, number]; pad: 'same' | 'valid'; dy: Nested; y: Nested; dx: Nested; dw: Nested }
interface ResizeCase { x: Nested; size: [number, number]; alignCorners: boolean; dy: Nested; y: Nested; dx: Nested }
const golden = readGolden<{ conv: ConvCase[]; resize: ResizeCase[] }>(import.meta.url, 'conv_resize_grads.json');

const flat = (a: Nested) => Float32Array.from((a as number[]).flat(4) as number[]);
const TOL = 1e-4;

const ORT_MIN_FLOPS = env.ortMinFlops;
beforeAll(() => {
  env.ortMinFlops = 0; // tiny shapes run on ORT's kernels, not the wasm fallback
});
afterAll(async () => {
  env.ortMinFlops = ORT_MIN_FLOPS;
  await initBackend('cpu');
});

describeBackends(['cpu', 'wasm', 'onnxruntime'], () => {
  it.each(golden.conv.map((c, i) => ({ ...c, i })))('dilated conv2d gradients match PyTorch: case $i, d $dilations, $pad', (c) => {
    const before = tf.memory().numTensors;
    const x = tf.tensor(c.x as number[][][][]) as tf.Tensor4D;
    const w = tf.tensor(c.w as number[][][][]) as tf.Tensor4D;
    const dy = tf.tensor(c.dy as number[][][][]);
    const f = (xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, c.pad, 'NHWC', c.dilations), dy));
    const y = tf.conv2d(x, w, 1, c.pad, 'NHWC', c.dilations);
    const [dx, dw] = tf.grads(f)([x, w]);
    expect(y.shape).toEqual([(c.y as Nested[]).length, ((c.y as Nested[][])[0] ?? []).length, ...y.shape.slice(2)]);
    expect(relErr(y.dataSync(), flat(c.y))).toBeLessThan(TOL);
    expect(dx!.shape).toEqual(x.shape);
    expect(dw!.shape).toEqual(w.shape);
    expect(relErr(dx!.dataSync(), flat(c.dx))).toBeLessThan(TOL);
    expect(relErr(dw!.dataSync(), flat(c.dw))).toBeLessThan(TOL);
    tf.dispose([x, w, dy, y, dx!, dw!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(golden.resize.map((c, i) => ({ ...c, i })))('resizeBilinear gradient matches PyTorch: case $i, size $size, alignCorners $alignCorners', (c) => {
    const before = tf.memory().numTensors;
    const x = tf.tensor(c.x as number[][][][]) as tf.Tensor4D;
    const dy = tf.tensor(c.dy as number[][][][]);
    // PyTorch's align_corners=False is tfjs's halfPixelCenters.
    const resize = (xi: tf.Tensor) => tf.image.resizeBilinear(xi as tf.Tensor4D, c.size, c.alignCorners, !c.alignCorners);
    const y = resize(x);
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(resize(xi), dy)))(x);
    expect(relErr(y.dataSync(), flat(c.y))).toBeLessThan(TOL);
    expect(dx.shape).toEqual(x.shape);
    expect(relErr(dx.dataSync(), flat(c.dx))).toBeLessThan(TOL);
    tf.dispose([x, dy, y, dx]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('legacy-mode resizeBilinear gradient is the adjoint of the forward resize (non-square, batch 2)', () => {
    const rng = new Rng(3);
    const xs: [number, number, number, number] = [2, 5, 3, 2];
    const size: [number, number] = [8, 11];
    const x = tf.tensor(randn(rng, xs), xs) as tf.Tensor4D;
    const g = tf.tensor(randn(rng, [2, ...size, 2]), [2, ...size, 2]);
    const lhs = tf.sum(tf.mul(tf.image.resizeBilinear(x, size), g));
    const rt = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(xi as tf.Tensor4D, size), g)))(x);
    const rhs = tf.sum(tf.mul(x, rt));
    expect(rt.shape).toEqual(xs);
    expect(Math.abs(lhs.dataSync()[0]! - rhs.dataSync()[0]!)).toBeLessThan(1e-4 * Math.abs(lhs.dataSync()[0]!));
    tf.dispose([x, g, lhs, rt, rhs]);
  });
});
