/**
 * What training needs that tfjs-backend-wasm 4.22.0 lacks or gets wrong, found by running the gradients of
 * conv2d/depthwise/separable/transposed convs, pooling, batch norm, resizes, activations, RNN cells, gather,
 * losses, pads, cumsum and friends on wasm against cpu:
 * - missing: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput/Filter, UnsortedSegmentSum (below);
 *   Einsum, and Complex/FFT/IFFT/Real/Imag (wasm has no complex64 dtype, so no kernel can supply them);
 * - wrong: MaxPoolGrad and MaxPoolWithArgmax on non-square inputs; ResizeBilinearGrad ignores halfPixelCenters;
 * - slow: Conv2DBackpropInput, BatchMatMul with transposes or batches, Slice, Unpack, Tile; Identity copies.
 * Gaps on every backend (tfjs-core, not fixable by wasm kernels): gradients of StridedSlice and Cumprod;
 * cumsum's gradient on a non-last axis has the wrong shape. (Dilated convolutions: backend/gradients/Conv2D_grad.ts.)
 */
import { tf } from '../../../tf.js';
import { facelabBatchNormTrainConfig } from './FacelabBatchNormTrain.js';
import { facelabBatchNormTrainGradConfig } from './FacelabBatchNormTrainGrad.js';
import { facelabGruRecurrenceConfig } from './FacelabGruRecurrence.js';
import { facelabGruRecurrenceGradConfig } from './FacelabGruRecurrenceGrad.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { conv2dBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2dBackpropInputConfig } from './Conv2DBackpropInput.js';
import { depthwiseBackpropFilterConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseBackpropInputConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { identityConfig } from './Identity.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { resizeBilinearGradConfig } from './ResizeBilinearGrad.js';
import { sliceConfig } from './Slice.js';
import { tileConfig } from './Tile.js';
import { unpackConfig } from './Unpack.js';
import { unsortedSegmentSumConfig } from './UnsortedSegmentSum.js';
import { replaceKernels, type KernelOverride } from '../shared/replace-kernels.js';

/** Kernel configs the wasm backend lacks for training (built from kernels it has), and facelab's fused kernels. */
const kernels: tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
  facelabBatchNormTrainConfig,
  facelabBatchNormTrainGradConfig,
  facelabGruRecurrenceConfig,
  facelabGruRecurrenceGradConfig,
];

/**
 * Shipped wasm kernels replaced because they are slow or wrong (see each file): kernel name and a factory
 * given the shipped config, for replacements that delegate to it.
 */
const overrides: KernelOverride[] = [
  ['Conv2DBackpropInput', () => conv2dBackpropInputConfig],
  ['MaxPoolGrad', () => maxPoolGradConfig],
  ['ResizeBilinearGrad', () => resizeBilinearGradConfig],
  ['Identity', () => identityConfig],
  ['Tile', () => tileConfig],
  ['Unpack', () => unpackConfig],
  ['Slice', sliceConfig],
  ['BatchMatMul', batchMatMulConfig],
];

let registered = false;

/**
 * Registers facelab's wasm kernels: the missing training kernels, the substitutes and the fused kernels
 * (idempotent); called by initBackend after importing @tensorflow/tfjs-backend-wasm (whose kernels register
 * on import) and before the backend is set, so that the kernels' setup functions run.
 */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  replaceKernels('wasm', overrides);
  registered = true;
}
