/**
 * Conv2DBackpropInput for wasm, replacing the shipped scalar loop (~3 GFLOP/s). dx is the correlation of dy,
 * zero-upsampled by the stride, with the filter reversed in space and in/out channels swapped; padded so
 * the output has the input's size, this is one XNNPACK Conv2D (~10× faster).
 */
import { tf } from '../../../tf.js';
import { assertNhwc, convInfo, type ConvBackpropAttrs } from './conv-geometry.js';
import { padOrCrop, release, runWasm, transpose, zeroUpsample, wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

interface Attrs extends ConvBackpropAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Pads or crops the zero-upsampled gradient (height OH·s) so a valid correlation with a KH-tall filter
 * at dilation d yields exactly `size` rows: the top gets (KH−1)·d − p, the bottom whatever remains.
 */
export function backpropInputPads(size: number, outSize: number, stride: number, k: number, d: number, before: number): [number, number] {
  const top = (k - 1) * d - before;
  const bottom = size + (k - 1) * d - top - outSize * stride;
  return [top, bottom];
}

function conv2dBackpropInput({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as Attrs;
  assertNhwc('Conv2DBackpropInput', a.dataFormat);
  const info = convInfo(a.inputShape, filter.shape, a, false);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const up = zeroUpsample(backend, dy, sh, sw);
  const upp = padOrCrop(backend, up, [
    backpropInputPads(info.inHeight, info.outHeight, sh, kh, 1, padInfo.top),
    backpropInputPads(info.inWidth, info.outWidth, sw, kw, 1, padInfo.left),
  ]);
  release(backend, up);
  const rev = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const w = transpose(backend, rev, [0, 1, 3, 2]); // [KH, KW, Cout, Cin]
  release(backend, rev);
  const dx = runWasm(backend, 'Conv2D', { x: upp, filter: w }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  release(backend, upp, w);
  return dx;
}

/** Kernel config: Conv2DBackpropInput on wasm (overrides the shipped kernel). */
export const conv2dBackpropInputConfig = wasmKernel('Conv2DBackpropInput', conv2dBackpropInput);
