/**
 * Conv2DBackpropFilter on onnxruntime (its CPU build has no gradient kernels, so dW is products again), NHWC
 * in and out: one Gemm per filter tap, dW[kh,kw] = x_tapᵀ · dy over all N·OH·OW positions, where x_tap is
 * what the tap reads of the padded input (a Conv with dy as the filter would need a huge im2col). At stride
 * 1, with dy zero-padded to the padded input's grid, x_tap is the grid's rows shifted by kh·Wp + kw: a
 * contiguous window of the padded input, fed to ORT in place, in row chunks. Strided: a strided Slice per tap.
 */
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from '../wasm/conv-geometry.js';
import { onnxConvAttrs } from './conv2d-plan.js';
import { padNhwc, tapSlices } from './im2col.js';
import { runWasm } from '../wasm/wasm-ops.js';
import { OnnxGraph } from '@facelab/runtime';
import { ortKernel, type OrtKernelArgs, type OrtPlan } from './ort-kernel.js';

/** Zero-pads an NHWC wasm tensor's spatial axes by [[top, bottom], [left, right]]. */
function pad2d(args: OrtKernelArgs, x: tf.TensorInfo, [[t, b], [l, r]]: number[][]): tf.TensorInfo {
  return runWasm(args.backend, 'PadV2', { x }, { paddings: [[0, 0], [t, b], [l, r], [0, 0]], constantValue: 0 });
}

/** Grid rows per Gemm chunk of the windowed filter gradient: ~2 MB windows stay in cache across the taps. */
const CHUNK_ROWS = 8192;

/**
 * dW at stride 1 from in-place windows: x padded to the grid [N, Hp, Wp, Cin], dy padded (bottom/right) to the
 * same grid; grid row ρ + kh·d·Wp + kw·d of x meets grid row ρ of dy. Rows past the last valid dy row are not
 * fed; rows of dy's padding are zero, so what they meet (possibly the next image's pixels) adds nothing.
 * The rows go in chunks, every tap of a chunk before the next chunk (a third faster than whole-height Gemms,
 * which stream the full input from memory once per tap), and the chunks' products are summed.
 */
function windowsFilterPlan(args: OrtKernelArgs, info: tf.backend_util.Conv2DInfo, filterShape: number[]): OrtPlan {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { dilationHeight: dh, dilationWidth: dw, filterHeight: kh, filterWidth: kw, padInfo, inChannels: cin, outChannels: cout } = info;
  const [n, h, w] = x.shape as [number, number, number, number];
  const hp = h + padInfo.top + padInfo.bottom;
  const wp = w + padInfo.left + padInfo.right;
  const xp = pad2d(args, x, [[padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right]]);
  const dyp = pad2d(args, dy, [[0, hp - info.outHeight], [0, wp - info.outWidth]]);
  const rows = n * hp * wp - ((kh - 1) * dh * wp + (kw - 1) * dw);
  const offsets = Array.from({ length: kh * kw }, (_, t) => Math.floor(t / kw) * dh * wp + (t % kw) * dw);
  const chunks = Array.from({ length: Math.ceil(rows / CHUNK_ROWS) }, (_, c) => [c * CHUNK_ROWS, Math.min(CHUNK_ROWS, rows - c * CHUNK_ROWS)] as const);
  const feeds: OrtPlan['feeds'] = {};
  chunks.forEach(([r0, r], c) => {
    feeds[`dy${c}`] = { of: dyp, offset: r0 * cout, shape: [r, cout] };
    offsets.forEach((o, t) => (feeds[`x${t}_${c}`] = { of: xp, offset: (r0 + o) * cin, shape: [r, cin] }));
  });
  return {
    key: JSON.stringify(['windows', x.shape, dy.shape, filterShape, onnxConvAttrs(info)]),
    feeds,
    outShape: filterShape,
    temporaries: [xp, dyp],
    build: () => {
      const g = new OnnxGraph();
      const partial = chunks.map(([, r], c) => {
        const dyIn = g.input(`dy${c}`, [r, cout]);
        const taps = offsets.map((_, t) => g.node('Gemm', [g.input(`x${t}_${c}`, [r, cin]), dyIn], { transA: 1 }));
        return taps.length === 1 ? taps[0]! : g.node('Concat', taps, { axis: 0 });
      });
      const all = partial.length === 1 ? partial[0]! : g.node('Sum', partial);
      g.output(g.node('Reshape', [all, g.int64s(filterShape)]), 'y', filterShape);
      return g;
    },
  };
}

/**
 * dW by strided slices of the padded input inside the graph (any stride), one Gemm per tap: a single Gemm on
 * the im2col matrix was slower (its channel-axis Concat crawls on 3-channel stems).
 */
function slicesFilterPlan(args: OrtKernelArgs, info: tf.backend_util.Conv2DInfo, filterShape: number[]): OrtPlan {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const [n, h, w, cin] = x.shape as [number, number, number, number];
  const { outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const rows = n * oh * ow;
  return {
    key: JSON.stringify(['slices', x.shape, dy.shape, filterShape, onnxConvAttrs(info)]),
    feeds: { x, dy },
    outShape: filterShape,
    build: () => {
      const g = new OnnxGraph();
      // Rows the last tap reads: (OH−1)·s + (K−1)·d + 1; pad the bottom/right up to that (crops need no pad).
      const bottom = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - h - padInfo.top);
      const right = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - w - padInfo.left);
      const xp = padNhwc(g, g.input('x', x.shape), [padInfo.top, bottom, padInfo.left, right]);
      const dy2 = g.node('Reshape', [g.input('dy', dy.shape), g.int64s([rows, cout])]);
      const rowsShape = g.int64s([rows, cin]);
      const geometry = { n, cin, kh, kw, strides: [sh, sw] as [number, number], dilations: [dh, dw] as [number, number], outHeight: oh, outWidth: ow };
      const taps = tapSlices(g, xp, geometry).map((xs) => g.node('Gemm', [g.node('Reshape', [xs, rowsShape]), dy2], { transA: 1 }));
      const all = taps.length === 1 ? taps[0]! : g.node('Concat', taps, { axis: 0 });
      g.output(g.node('Reshape', [all, g.int64s(filterShape)]), 'y', filterShape);
      return g;
    },
  };
}

function backpropFilterPlan(args: OrtKernelArgs) {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const a = args.attrs as unknown as ConvBackpropAttrs & { filterShape: number[] };
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const info = convInfo(x.shape, a.filterShape, a, false);
  // Windows need stride 1; they also multiply the padding's rows, yet even on 4×4 maps in a 6×6 grid they
  // beat the copies of the sliced plan.
  const windows = info.strideHeight === 1 && info.strideWidth === 1;
  return {
    flops: 2 * info.batchSize * info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels * info.outChannels,
    plan: () => (windows ? windowsFilterPlan : slicesFilterPlan)(args, info, a.filterShape),
  };
}

/** Conv2DBackpropFilter (NHWC) on onnxruntime, falling back to `wasm`. */
export const conv2dBackpropFilterOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.Conv2DBackpropFilter, wasm, backpropFilterPlan);
