/**
 * The 'onnxruntime' backend: a tfjs backend of its own name whose instance is the wasm backend's and whose
 * kernel registry is wasm's (facelab's wasm kernels included) with the heavy kernels (convolutions, their
 * gradients, matrix products, reductions over leading axes; batch norm when `env.ortBatchNorm`) replaced by
 * onnxruntime-node's native CPU kernels, which reach PyTorch-level GFLOP/s where wasm SIMD cannot. Sharing
 * the instance means tensors need no move between 'wasm' and 'onnxruntime', and `tf.getBackend()` says which
 * kernels run. Each ORT kernel falls back to the wasm kernel it replaces.
 */
import { tf } from '../../../tf.js';
import { batchNormTrainGradOrt, batchNormTrainOrt } from './batch-norm-train.js';
import { conv2dBackpropFilterOrt, conv2dBackpropInputOrt } from './conv2d-backprop.js';
import { conv2dOrt, fusedConv2dOrt } from './conv2d.js';
import { batchMatMulOrt, fusedMatMulOrt } from './mat-mul.js';
import { meanOrt, sumOrt } from './reduce.js';

/** Kernel name → the ORT kernel built around the wasm kernel it replaces (its fallback). */
const ORT_KERNELS: [string, (wasm: tf.KernelConfig) => tf.KernelConfig][] = [
  ['Conv2D', conv2dOrt],
  ['FusedConv2D', fusedConv2dOrt],
  ['Conv2DBackpropInput', conv2dBackpropInputOrt],
  ['Conv2DBackpropFilter', conv2dBackpropFilterOrt],
  ['BatchMatMul', batchMatMulOrt],
  ['_FusedMatMul', fusedMatMulOrt],
  ['Sum', sumOrt],
  ['Mean', meanOrt],
  ['FacelabBatchNormTrain', batchNormTrainOrt],
  ['FacelabBatchNormTrainGrad', batchNormTrainGradOrt],
];

/**
 * Registers the 'onnxruntime' backend and its kernels (idempotent); called by initBackend after the wasm
 * kernels are registered (they are copied here) and before either backend is set.
 */
export function registerOnnxRuntimeKernels(): void {
  if (tf.findBackendFactory('onnxruntime') !== null) return;
  tf.copyRegisteredKernels('wasm', 'onnxruntime');
  for (const [name, make] of ORT_KERNELS) {
    const wasm = tf.getKernel(name, 'wasm');
    if (wasm === undefined) throw new Error(`wasm kernel '${name}' is not registered: the ORT kernel has nothing to fall back to`);
    tf.unregisterKernel(name, 'onnxruntime');
    tf.registerKernel(make(wasm));
  }
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
