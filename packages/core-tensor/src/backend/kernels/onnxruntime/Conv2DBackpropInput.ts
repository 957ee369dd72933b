/**
 * Conv2DBackpropInput on onnxruntime (its CPU build has no gradient kernels, so dx is a convolution again),
 * NHWC in and out. Stride 1: a convolution of dy with the filter reversed in space and in/out channels
 * swapped (ORT's direct NCHWc Conv, ~3× faster than its ConvTranspose, or im2col + MatMul on small maps);
 * strided: ConvTranspose.
 */
import { tf } from '../../../tf.js';
import { backpropInputPads } from '../wasm/Conv2DBackpropInput.js';
import { convInfo, type ConvBackpropAttrs } from '../wasm/conv-geometry.js';
import { onnxConvAttrs } from './conv2d-plan.js';
import { im2colConv, padNhwc, preferIm2col } from './im2col.js';
import { OnnxGraph } from '@facelab/runtime';
import { ortKernel, sizeOf, type OrtKernelArgs } from './ort-kernel.js';

const toNchw = [0, 3, 1, 2];
const toNhwc = [0, 2, 3, 1];

function backpropInputPlan({ inputs, attrs }: OrtKernelArgs) {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as ConvBackpropAttrs & { inputShape: number[] };
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const info = convInfo(a.inputShape, filter.shape, a, false);
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const [, h, w] = a.inputShape as [number, number, number, number];
  const [top, bottom] = backpropInputPads(h, info.outHeight, 1, kh, dh, padInfo.top);
  const [left, right] = backpropInputPads(w, info.outWidth, 1, kw, dw, padInfo.left);
  const direct = sh === 1 && sw === 1 && Math.min(top, bottom, left, right) >= 0;
  const geometry = { n: info.batchSize, cin: info.outChannels, kh, kw, strides: [1, 1] as [number, number], dilations: [dh, dw] as [number, number], outHeight: h, outWidth: w };
  return {
    flops: 2 * sizeOf(dy.shape) * kh * kw * info.inChannels,
    plan: () => ({
      key: JSON.stringify([direct && preferIm2col(geometry), dy.shape, filter.shape, a.inputShape, onnxConvAttrs(info)]),
      feeds: { dy, w: filter },
      outShape: a.inputShape,
      build: () => {
        const g = new OnnxGraph();
        const dyIn = g.input('dy', dy.shape);
        const wIn = g.input('w', filter.shape);
        if (direct && preferIm2col(geometry)) {
          // HWIO [KH, KW, Cout, Cin] reversed in space: the filter of the correlation that gives dx.
          const swapped = g.node('Transpose', [wIn], { perm: [0, 1, 3, 2] });
          const reversed = g.node('Slice', [swapped, g.int64s([-1, -1]), g.int64s([-(kh + 1), -(kw + 1)]), g.int64s([0, 1]), g.int64s([-1, -1])]);
          g.output(im2colConv(g, padNhwc(g, dyIn, [top, bottom, left, right]), reversed, info.inChannels, geometry), 'y', a.inputShape);
          return g;
        }
        const dyt = g.node('Transpose', [dyIn], { perm: toNchw });
        let dx: string;
        if (direct) {
          const swapped = g.node('Transpose', [wIn], { perm: [2, 3, 0, 1] }); // [Cin, Cout, KH, KW]
          const reversed = g.node('Slice', [swapped, g.int64s([-1, -1]), g.int64s([-(kh + 1), -(kw + 1)]), g.int64s([2, 3]), g.int64s([-1, -1])]);
          dx = g.node('Conv', [dyt, reversed], { pads: [top, left, bottom, right], dilations: [dh, dw] });
        } else {
          // ConvTranspose's output is s·(OH−1) + (K−1)·d + 1 − pads + output_padding: pick the padding that gives H.
          const extra = (size: number, out: number, s: number, k: number, d: number, p0: number, p1: number) =>
            size - (s * (out - 1) + (k - 1) * d + 1 - p0 - p1);
          const oph = extra(h, info.outHeight, sh, kh, dh, padInfo.top, padInfo.bottom);
          const opw = extra(w, info.outWidth, sw, kw, dw, padInfo.left, padInfo.right);
          const wt = g.node('Transpose', [wIn], { perm: [3, 2, 0, 1] }); // [Cout, Cin, KH, KW]
          dx = g.node('ConvTranspose', [dyt, wt], { ...onnxConvAttrs(info), output_padding: [oph, opw] });
        }
        g.output(g.node('Transpose', [dx], { perm: toNhwc }), 'y', a.inputShape);
        return g;
      },
    }),
  };
}

/** Conv2DBackpropInput (NHWC) on onnxruntime, falling back to `wasm`. */
export const conv2dBackpropInputOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.Conv2DBackpropInput, wasm, backpropInputPlan);
