/**
 * What training needs that tfjs-backend-wasm 4.22.0 lacks or gets wrong, found by running the gradients of
 * conv2d/depthwise/separable/transposed convs, pooling, batch norm, resizes, activations, RNN cells, gather,
 * losses, pads, cumsum and friends on wasm against cpu:
 * - missing: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput/Filter, UnsortedSegmentSum (below);
 *   Einsum, and Complex/FFT/IFFT/Real/Imag (wasm has no complex64 dtype, so no kernel can supply them);
 * - wrong: MaxPoolGrad and MaxPoolWithArgmax on non-square inputs;
 * - slow: Conv2DBackpropInput, BatchMatMul with transposes or batches, Slice, Unpack, Tile.
 * Gaps on every backend (tfjs-core, not fixable by wasm kernels): gradients of dilated convolutions,
 * StridedSlice and Cumprod; cumsum's gradient on a non-last axis has the wrong shape.
 */
import { tf } from '../../tf.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { sliceConfig } from './slice.js';
import { tileConfig } from './tile.js';
import { unpackConfig } from './unpack.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Kernel configs the wasm backend lacks for training, built from kernels it has. */
const kernels: tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
];

/**
 * Shipped wasm kernels replaced because they are slow or wrong (see each file): kernel name and a factory
 * given the shipped config, for replacements that delegate to it.
 */
const overrides: [string, (shipped: tf.KernelConfig) => tf.KernelConfig][] = [
  ['Conv2DBackpropInput', () => conv2dBackpropInputConfig],
  ['MaxPoolGrad', () => maxPoolGradConfig],
  ['Tile', () => tileConfig],
  ['Unpack', () => unpackConfig],
  ['Slice', sliceConfig],
  ['BatchMatMul', batchMatMulConfig],
];

let registered = false;

/**
 * Registers facelab's substitute training kernels for the wasm backend (idempotent). Must run before the
 * wasm backend initialises, so that the kernels' setup functions run.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  for (const [name, make] of overrides) {
    const shipped = tf.getKernel(name, 'wasm');
    if (shipped === undefined) continue; // a tfjs-backend-wasm other than the pinned 4.22.0
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(make(shipped));
  }
  registered = true;
}
