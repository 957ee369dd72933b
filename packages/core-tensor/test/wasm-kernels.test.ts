import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';
import { Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';
import { kernel, valuesOn } from '@facelab/test-utils/backends';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number; // output channels (conv) or channel multiplier (depthwise)
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
}

const explicit: Pad = [[0, 0], [1, 2], [0, 1], [0, 0]];
const convCases: ConvCase[] = [
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, strides: 1, pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, strides: 1, pad: 'valid' },
  { x: [3, 10, 7, 2], k: [3, 2], cout: 5, strides: 2, pad: 'same' },
  { x: [3, 10, 7, 2], k: [3, 3], cout: 5, strides: 2, pad: 'valid' },
  { x: [2, 11, 8, 3], k: [2, 3], cout: 2, strides: [2, 1], pad: explicit },
  { x: [2, 8, 9, 4], k: [1, 1], cout: 3, strides: 2, pad: 'same' },
  { x: [2, 12, 10, 2], k: [5, 4], cout: 3, strides: 3, pad: 1 },
  { x: [2, 7, 6, 3], k: [4, 4], cout: 2, strides: 2, pad: 'same' },
];
const depthwiseCases: ConvCase[] = [
  ...convCases.map((c) => ({ ...c, cout: 1 + (c.x[3] % 2) })),
  { x: [2, 9, 8, 3], k: [3, 3], cout: 2, strides: 1, pad: 'same', dilations: 2 },
  { x: [2, 11, 9, 2], k: [3, 2], cout: 1, strides: 1, pad: 'valid', dilations: [2, 3] },
];

function outSize(c: ConvCase, depthwise: boolean): number[] {
  const filter = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(c.x, filter, c.strides, c.dilations ?? 1, c.pad, undefined, depthwise);
  return info.outShape;
}

function label(c: ConvCase): string {
  return `x ${c.x} k ${c.k}×${c.cout} s ${c.strides} pad ${JSON.stringify(c.pad)} d ${c.dilations ?? 1}`;
}

/** Inserts d − 1 zero taps between filter taps: a dilated filter as the undilated one it acts as. */
function dilateFilter(f: Float32Array, shape: number[], d: [number, number]): { values: Float32Array; shape: number[] } {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  const eh = (kh - 1) * d[0] + 1;
  const ew = (kw - 1) * d[1] + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      out.set(f.subarray((i * kw + j) * ci * co, (i * kw + j + 1) * ci * co), (i * d[0] * ew + j * d[1]) * ci * co);
  return { values: out, shape: [eh, ew, ci, co] };
}

/** The taps at every d-th position of an undilated filter gradient: the dilated filter's gradient. */
function takeTaps(g: Float32Array, shape: number[], d: [number, number]): Float32Array {
  const [eh, ew, ci, co] = shape as [number, number, number, number];
  const kh = (eh - 1) / d[0] + 1;
  const kw = (ew - 1) / d[1] + 1;
  const out = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      out.set(g.subarray((i * d[0] * ew + j * d[1]) * ci * co, (i * d[0] * ew + j * d[1] + 1) * ci * co), (i * kw + j) * ci * co);
  return out;
}

/**
 * Runs one backprop kernel on cpu and wasm with the same seeded inputs; returns the relative error.
 * tfjs-cpu's depthwise backprop kernels ignore dilations (tfjs's gradients never pass them), so dilated
 * cases are referenced against cpu's undilated kernel on the zero-inserted filter, which is the same sum.
 */
async function compareBackprop(name: string, c: ConvCase, depthwise: boolean): Promise<number> {
  const rng = new Rng(7);
  const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
  const dyShape = outSize(c, depthwise);
  const xv = randn(rng, c.x);
  const fv = randn(rng, filterShape);
  const dyv = randn(rng, dyShape);
  const dil: [number, number] = typeof c.dilations === 'number' ? [c.dilations, c.dilations] : (c.dilations ?? [1, 1]);
  const isFilter = name.endsWith('Filter');
  const run = (d: [number, number], f: { values: Float32Array; shape: number[] }) => (): tf.Tensor => {
    const attrs = { strides: c.strides, pad: c.pad, dilations: d, dataFormat: 'NHWC' };
    const dy = tf.tensor(dyv, dyShape);
    if (isFilter) return kernel(name, { x: tf.tensor(xv, c.x), dy }, { ...attrs, filterShape: f.shape });
    return kernel(name, { dy, filter: tf.tensor(f.values, f.shape) }, { ...attrs, inputShape: c.x });
  };
  const dilated = dil[0] > 1 || dil[1] > 1;
  const undilated = dilateFilter(fv, filterShape, dil);
  const [ref] = await valuesOn('cpu', dilated ? run([1, 1], undilated) : run(dil, { values: fv, shape: filterShape }));
  const [got] = await valuesOn('wasm', run(dil, { values: fv, shape: filterShape }));
  const refValues = dilated && isFilter ? takeTaps(ref!.values, undilated.shape, dil) : ref!.values;
  expect(got!.values.length).toBe(refValues.length);
  return relErr(got!.values, refValues);
}

describe('wasm substitute kernels match cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
    it.each(convCases.map((c) => [label(c), c] as const))(`${name} %s`, async (_l, c) => {
      expect(await compareBackprop(name, c, false)).toBeLessThan(1e-4);
    });
  }

  for (const name of ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
    it.each(depthwiseCases.map((c) => [label(c), c] as const))(`${name} %s`, async (_l, c) => {
      expect(await compareBackprop(name, c, true)).toBeLessThan(1e-4);
    });
  }

  const poolCases: [number | [number, number], number | [number, number], 'same' | 'valid'][] = [
    [2, 2, 'valid'], [2, 2, 'same'], [3, 2, 'same'], [3, 2, 'valid'], [3, 1, 'same'], [2, 1, 'valid'], [[3, 2], [2, 1], 'same'],
  ];
  it.each(poolCases)('MaxPoolGrad k %s s %s %s on a non-square batch', async (k, s, pad) => {
    const rng = new Rng(9);
    const xv = randn(rng, [2, 9, 8, 3]);
    const f = (): tf.Tensor => {
      const x = tf.tensor4d(xv, [2, 9, 8, 3]);
      const w = tf.sin(tf.range(0, tf.maxPool(x, k, s, pad).size).reshape(tf.maxPool(x, k, s, pad).shape));
      return tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, pad).mul(w).sum())(x);
    };
    const [ref] = await valuesOn('cpu', f);
    const [got] = await valuesOn('wasm', f);
    expect(relErr(got!.values, ref!.values)).toBeLessThan(1e-6);
  });

  it.each([
    [[5, 7], [7, 6], false, false],
    [[7, 5], [7, 6], true, false],
    [[5, 7], [6, 7], false, true],
    [[7, 5], [6, 7], true, true],
    [[3, 5, 7], [3, 7, 4], false, false],
    [[3, 7, 5], [1, 4, 7], true, true],
    [[1, 5, 7], [3, 7, 4], false, false],
    [[2, 3, 5, 7], [2, 3, 7, 4], false, false],
    [[2, 3, 7, 5], [7, 4], true, false],
  ] as [number[], number[], boolean, boolean][])('BatchMatMul %j × %j (transposeA %s, transposeB %s)', async (sa, sb, ta, tb) => {
    const rng = new Rng(4);
    const av = randn(rng, sa);
    const bv = randn(rng, sb);
    const f = (): tf.Tensor => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), ta, tb);
    const [ref] = await valuesOn('cpu', f);
    const [got] = await valuesOn('wasm', f);
    expect(got!.shape).toEqual(ref!.shape);
    expect(relErr(got!.values, ref!.values)).toBeLessThan(1e-5);
  });

  it.each([
    [[7], [2], [4]],
    [[4, 6], [1, 2], [3, 3]],
    [[3, 5, 4], [1, 0, 1], [2, 5, 2]],
    [[2, 6, 5, 3], [1, 2, 0, 0], [1, 3, 5, 3]],
    [[2, 6, 5, 3], [0, 1, 2, 1], [2, 4, 2, 1]],
    [[2, 3, 4, 3, 2], [1, 1, 1, 1, 1], [1, 2, 2, 2, 1]],
  ])('Slice of %j at %j size %j', async (shape, begin, size) => {
    const xv = randn(new Rng(6), shape);
    const f = (): tf.Tensor => tf.slice(tf.tensor(xv, shape), begin, size);
    const [ref] = await valuesOn('cpu', f);
    const [got] = await valuesOn('wasm', f);
    expect(got!.shape).toEqual(size);
    expect(Array.from(got!.values)).toEqual(Array.from(ref!.values));
  });

  it.each([0, 1, 2])('Unpack (unstack) of [3,4,5] along axis %i', async (axis) => {
    const xv = randn(new Rng(8), [3, 4, 5]);
    const f = (): tf.Tensor[] => tf.unstack(tf.tensor(xv, [3, 4, 5]), axis);
    const ref = await valuesOn('cpu', f);
    const got = await valuesOn('wasm', f);
    expect(got.length).toBe(ref.length);
    got.forEach((g, i) => {
      expect(g.shape).toEqual(ref[i]!.shape);
      expect(Array.from(g.values)).toEqual(Array.from(ref[i]!.values));
    });
  });

  it.each([
    [[3], [4]],
    [[2, 3], [3, 1]],
    [[1, 1, 1, 4], [2, 3, 5, 1]],
    [[2, 1, 3], [2, 4, 2]],
    [[2, 3, 1, 2, 2], [1, 2, 3, 1, 2]],
  ])('Tile of %j by %j (and broadcastTo through it)', async (shape, reps) => {
    const xv = randn(new Rng(10), shape);
    const f = (): tf.Tensor[] => [tf.tile(tf.tensor(xv, shape), reps)];
    const ref = await valuesOn('cpu', f);
    const got = await valuesOn('wasm', f);
    expect(got[0]!.shape).toEqual(ref[0]!.shape);
    expect(Array.from(got[0]!.values)).toEqual(Array.from(ref[0]!.values));
  });

  it('Identity shares the data: either tensor outlives the other, values intact, nothing leaks, gradients unchanged', async () => {
    await initBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1); // two tensors, one buffer
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    const z = tf.engine().runKernel('Identity', { x: y }) as tf.Tensor;
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3, 4]);
    z.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    const xv = randn(new Rng(12), [3, 4]);
    const f = (): tf.Tensor[] => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b).square().sum())([tf.tensor(xv, [3, 4]), tf.tensor(xv.map((v) => v + 1), [3, 4])]);
    const ref = await valuesOn('cpu', f);
    const got = await valuesOn('wasm', f);
    got.forEach((g, i) => expect(relErr(g.values, ref[i]!.values)).toBeLessThan(1e-6));
  });

  it('UnsortedSegmentSum (gather gradient) matches cpu; rank-2 ids and dropped ids match a hand sum', async () => {
    const rng = new Rng(3);
    const xv = randn(rng, [4, 3, 5]);
    const ids1 = [2, 0, 2, 1];
    const weights = tf.tensor([0, 1, 2, 3, 4], [5, 1, 1]);
    const f = (): tf.Tensor[] => [
      tf.unsortedSegmentSum(tf.tensor(xv, [4, 3, 5]), tf.tensor1d(ids1, 'int32'), 4),
      tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([1, 1, 3, 0, 1], 'int32')).mul(weights).sum())(tf.tensor(xv, [4, 3, 5])),
    ];
    const ref = await valuesOn('cpu', f);
    const got = await valuesOn('wasm', f);
    for (let i = 0; i < ref.length; i++) {
      expect(got[i]!.shape).toEqual(ref[i]!.shape);
      expect(relErr(got[i]!.values, ref[i]!.values)).toBeLessThan(1e-6);
    }
    // tfjs-cpu cannot take rank-2 ids; check against the definition: out[s] = Σ_{ids[i,j] = s} x[i,j,:]
    const ids2 = [0, 1, 1, 3, -1, 3, 0, 2, 1, 0, 0, 2];
    const [r2] = await valuesOn('wasm', () => tf.unsortedSegmentSum(tf.tensor(xv, [4, 3, 5]), tf.tensor2d(ids2, [4, 3], 'int32') as unknown as tf.Tensor1D, 5));
    const want = new Float32Array(25);
    ids2.forEach((s, i) => {
      if (s >= 0) for (let k = 0; k < 5; k++) want[s * 5 + k]! += xv[i * 5 + k]!;
    });
    expect(r2!.shape).toEqual([5, 5]);
    expect(relErr(r2!.values, want)).toBeLessThan(1e-6);
    weights.dispose();
  });

  it('rejects NCHW and mismatched segment ids with clear errors', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() => kernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })).toThrow(
      /Conv2DBackpropFilter on wasm: dataFormat 'NCHW'/,
    );
    expect(() => kernel('UnsortedSegmentSum', { x, segmentIds: tf.zeros([2], 'int32') }, { numSegments: 2 })).toThrow(
      /segmentIds shape \[2\] must be a prefix of x shape \[1,4,4,2\]/,
    );
    tf.dispose([x, dy]);
  });

  it('leaks nothing: tensors and wasm buffers unchanged over 50 calls of each kernel', async () => {
    await tf.setBackend('wasm');
    const rng = new Rng(5);
    const x = tf.tensor(randn(rng, [2, 9, 7, 4]), [2, 9, 7, 4]);
    const dy = tf.tensor(randn(rng, [2, 5, 4, 4]), [2, 5, 4, 4]);
    const w = tf.tensor(randn(rng, [3, 3, 4, 4]), [3, 3, 4, 4]);
    const dw = tf.tensor(randn(rng, [3, 3, 4, 1]), [3, 3, 4, 1]);
    const ids = tf.tensor1d([1, 0], 'int32');
    const attrs = { strides: 2, pad: 'same', dilations: 1 };
    const calls: (() => tf.Tensor)[] = [
      () => kernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 4, 4] }),
      () => kernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [2, 9, 7, 4] }),
      () => kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 4, 1] }),
      () => kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: dw }, { ...attrs, inputShape: [2, 9, 7, 4] }),
      () => kernel('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments: 3 }),
      () => kernel('MaxPoolGrad', { dy, input: x, output: dy }, { filterSize: 3, strides: 2, pad: 'same' }),
      () => kernel('BatchMatMul', { a: dy, b: dy }, { transposeA: true, transposeB: false }),
      () => kernel('Slice', { x }, { begin: [1, 2, 0, 1], size: [1, 3, 7, 2] }),
      () => kernel('Tile', { x: ids }, { reps: [3] }),
      ...[0, 1].map((axis) => () => tf.tidy(() => tf.stack(tf.engine().runKernel('Unpack', { value: x }, { axis }) as tf.Tensor[]))),
    ];
    for (const call of calls) {
      call().dispose(); // warm-up
      const before = tf.memory();
      for (let i = 0; i < 50; i++) call().dispose();
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
    }
    tf.dispose([x, dy, w, dw, ids]);
  });
});
