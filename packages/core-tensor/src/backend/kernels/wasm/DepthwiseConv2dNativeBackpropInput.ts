/**
 * DepthwiseConv2dNativeBackpropInput for wasm (which ships none). As for Conv2D: correlate the stride-upsampled
 * dy with the spatially reversed filter, here depthwise over the Cin·M gradient channels, then sum each input
 * channel's M multipliers.
 */
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from './conv-geometry.js';
import { backpropInputPads } from './Conv2DBackpropInput.js';
import { padOrCrop, release, reshape, runWasm, zeroUpsample, wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

interface Attrs extends ConvBackpropAttrs {
  inputShape: [number, number, number, number];
}

function depthwiseBackpropInput({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as Attrs;
  const info = convInfo(a.inputShape, filter.shape, a, true);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const [n, h, w, c] = a.inputShape;
  const m = filter.shape[3]!;
  const up = zeroUpsample(backend, dy, sh, sw);
  const upp = padOrCrop(backend, up, [
    backpropInputPads(h, info.outHeight, sh, kh, dh, padInfo.top),
    backpropInputPads(w, info.outWidth, sw, kw, dw, padInfo.left),
  ]);
  release(backend, up);
  const rev = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const flat = reshape(backend, rev, [kh, kw, c * m, 1]);
  release(backend, rev);
  const y = runWasm(backend, 'DepthwiseConv2dNative', { x: upp, filter: flat }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [dh, dw],
  }); // [N, H, W, Cin·M]
  release(backend, upp, flat);
  if (m === 1) return y;
  const y5 = reshape(backend, y, [n, h, w, c, m]);
  release(backend, y);
  const dx = runWasm(backend, 'Sum', { x: y5 }, { axis: [4], keepDims: false });
  release(backend, y5);
  return dx;
}

/** Kernel config: DepthwiseConv2dNativeBackpropInput on wasm. */
export const depthwiseBackpropInputConfig = wasmKernel('DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput);
