/**
 * Conv2DBackpropFilter for wasm (which ships none). dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−p, ow·s+kw−p, ci]
 * · dy[n,oh,ow,co] is itself a convolution: batch = Cin, channels = N, "filter" = dy laid out [OH,OW,N,Cout],
 * dilation = stride. So: pad x, transpose, one XNNPACK Conv2D, crop, transpose back.
 */
import { tf } from '../../../tf.js';
import { assertNhwc, convInfo, type ConvBackpropAttrs } from './conv-geometry.js';
import { padOrCrop, release, runWasm, transpose, wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

interface Attrs extends ConvBackpropAttrs {
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as Attrs;
  assertNhwc('Conv2DBackpropFilter', a.dataFormat);
  const info = convInfo(x.shape, a.filterShape, a, false);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const oh = info.outHeight;
  const ow = info.outWidth;
  // Rows of padded x the correlation reads: (OH−1)·sh + KH; crop the rest so the conv output is exactly KH.
  const needH = (oh - 1) * sh + kh;
  const needW = (ow - 1) * sw + kw;
  const xp = padOrCrop(backend, x, [
    [padInfo.top, needH - x.shape[1]! - padInfo.top],
    [padInfo.left, needW - x.shape[2]! - padInfo.left],
  ]);
  const xt = transpose(backend, xp, [3, 1, 2, 0]); // [Cin, H, W, N]
  release(backend, xp);
  const dyt = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, N, Cout]
  const y = runWasm(backend, 'Conv2D', { x: xt, filter: dyt }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  }); // [Cin, KH, KW, Cout]
  release(backend, xt, dyt);
  const dw = transpose(backend, y, [1, 2, 0, 3]);
  release(backend, y);
  return dw;
}

/** Kernel config: Conv2DBackpropFilter on wasm. */
export const conv2dBackpropFilterConfig = wasmKernel('Conv2DBackpropFilter', conv2dBackpropFilter);
