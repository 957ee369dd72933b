/**
 * The 'onnxruntime' backend: a tfjs backend of its own name whose instance is the wasm backend's and whose
 * kernel registry is wasm's (facelab's wasm kernels included) with the heavy kernels (convolutions, their
 * gradients, matrix products, reductions over leading axes; batch norm when `env.ortBatchNorm`) replaced by
 * onnxruntime-node's native CPU kernels, which reach PyTorch-level GFLOP/s where wasm SIMD cannot. Sharing
 * the instance means tensors need no move between 'wasm' and 'onnxruntime', and `tf.getBackend()` says which
 * kernels run. Each ORT kernel falls back to the wasm kernel it replaces.
 */
import { tf } from '../../../tf.js';
import { batchMatMulOrt } from './BatchMatMul.js';
import { conv2dOrt } from './Conv2D.js';
import { conv2dBackpropFilterOrt } from './Conv2DBackpropFilter.js';
import { conv2dBackpropInputOrt } from './Conv2DBackpropInput.js';
import { batchNormTrainOrt } from './FacelabBatchNormTrain.js';
import { batchNormTrainGradOrt } from './FacelabBatchNormTrainGrad.js';
import { fusedConv2dOrt } from './FusedConv2D.js';
import { fusedMatMulOrt } from './_FusedMatMul.js';
import { meanOrt } from './Mean.js';
import { sumOrt } from './Sum.js';
import { FacelabBatchNormTrain, FacelabBatchNormTrainGrad } from '../../kernel_names.js';
import { replaceKernels, type KernelOverride } from '../shared/replace-kernels.js';

/** Kernel name → the ORT kernel built around the wasm kernel it replaces (its fallback). */
const ORT_KERNELS: KernelOverride[] = [
  [tf.Conv2D, conv2dOrt],
  [tf.FusedConv2D, fusedConv2dOrt],
  [tf.Conv2DBackpropInput, conv2dBackpropInputOrt],
  [tf.Conv2DBackpropFilter, conv2dBackpropFilterOrt],
  [tf.BatchMatMul, batchMatMulOrt],
  [tf._FusedMatMul, fusedMatMulOrt],
  [tf.Sum, sumOrt],
  [tf.Mean, meanOrt],
  [FacelabBatchNormTrain, batchNormTrainOrt],
  [FacelabBatchNormTrainGrad, batchNormTrainGradOrt],
];

/**
 * Registers the 'onnxruntime' backend and its kernels (idempotent); called by initBackend after the wasm
 * kernels are registered (they are copied here) and before either backend is set.
 */
export function registerOnnxRuntimeKernels(): void {
  if (tf.findBackendFactory('onnxruntime') !== null) return;
  tf.copyRegisteredKernels('wasm', 'onnxruntime');
  replaceKernels('onnxruntime', ORT_KERNELS, { required: true }); // the copies of wasm's kernels are the fallbacks
  // The wasm instance, initialised by initBackend (with its threads) before this backend is set. Priority 0:
  // tfjs never picks it by itself.
  tf.registerBackend(
    'onnxruntime',
    () => {
      const wasm = tf.findBackend('wasm');
      if (wasm === null) throw new Error("the 'onnxruntime' backend needs the wasm backend initialised first");
      return wasm;
    },
    0,
  );
}
