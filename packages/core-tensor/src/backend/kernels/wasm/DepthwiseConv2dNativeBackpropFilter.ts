/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (which ships none). dW[kh,kw,c,m] = Σ_{n,oh,ow}
 * x[n, oh·s+kh·d−p, ow·s+kw·d−p, c] · dy[n,oh,ow,c·M+m]: with the batch folded into channels (x as
 * [1,H,W,N·C], dy as an [OH,OW,N·C,M] filter) it is one depthwise conv at dilation = stride, then a sum over N.
 */
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from './conv-geometry.js';
import { padOrCrop, release, reshape, runWasm, transpose, wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

interface Attrs extends ConvBackpropAttrs {
  filterShape: [number, number, number, number];
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as Attrs;
  const info = convInfo(x.shape, a.filterShape, a, true);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const { dilationHeight: dh, dilationWidth: dw, outHeight: oh, outWidth: ow } = info;
  const [n, , , c] = x.shape as [number, number, number, number];
  const m = a.filterShape[3];
  const needH = (oh - 1) * sh + (kh - 1) * dh + 1;
  const needW = (ow - 1) * sw + (kw - 1) * dw + 1;
  const xp = padOrCrop(backend, x, [
    [padInfo.top, needH - x.shape[1]! - padInfo.top],
    [padInfo.left, needW - x.shape[2]! - padInfo.left],
  ]);
  const xt = transpose(backend, xp, [1, 2, 0, 3]); // [H, W, N, C]
  release(backend, xp);
  const x1 = reshape(backend, xt, [1, needH, needW, n * c]);
  release(backend, xt);
  const dyt = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, N, C·M]
  const f = reshape(backend, dyt, [oh, ow, n * c, m]);
  release(backend, dyt);
  const y = runWasm(backend, 'DepthwiseConv2dNative', { x: x1, filter: f }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  }); // [1, (KH−1)·dh+1, (KW−1)·dw+1, N·C·M]
  release(backend, x1, f);
  // With dilation the filter taps sit every d-th output position.
  const taps =
    dh === 1 && dw === 1
      ? y
      : runWasm(backend, 'StridedSlice', { x: y }, {
          begin: [0, 0, 0, 0],
          end: y.shape,
          strides: [1, dh, dw, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        });
  if (taps !== y) release(backend, y);
  const t5 = reshape(backend, taps, [kh, kw, n, c, m]);
  release(backend, taps);
  const dW = runWasm(backend, 'Sum', { x: t5 }, { axis: [2], keepDims: false });
  release(backend, t5);
  return dW;
}

/** Kernel config: DepthwiseConv2dNativeBackpropFilter on wasm. */
export const depthwiseBackpropFilterConfig = wasmKernel('DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter);
