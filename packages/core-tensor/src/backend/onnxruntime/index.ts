/**
 * The 'onnxruntime' backend: tfjs's wasm backend with its heavy kernels (convolutions, their gradients,
 * matrix products, reductions over leading axes) replaced by onnxruntime-node's native CPU kernels, which reach PyTorch-level GFLOP/s
 * where wasm SIMD cannot. Everything else (elementwise ops, pooling, batch norm, RNN glue) stays on wasm,
 * so switching is a kernel-registry swap: `initBackend('wasm')` puts the wasm kernels back.
 */
import { tf } from '../../tf.js';
import { batchNormTrainGradOrt, batchNormTrainOrt } from '../bn-kernels/ort.js';
import { conv2dBackpropFilterOrt, conv2dBackpropInputOrt } from './conv2d-backprop.js';
import { conv2dOrt, fusedConv2dOrt } from './conv2d.js';
import { batchMatMulOrt, fusedMatMulOrt } from './mat-mul.js';
import { meanOrt, sumOrt } from './reduce.js';

export { loadOnnxRuntime, onnxRuntimeStats, onnxThreads } from '@facelab/runtime';

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
  // Opt-in (FACELAB_ORT_BATCH_NORM=1): measured slower in a whole training step, see bn-kernels/ort.ts.
  ['FacelabBatchNormTrain', batchNormTrainOrt],
  ['FacelabBatchNormTrainGrad', batchNormTrainGradOrt],
];

/** The wasm kernels while the ORT ones are registered in their place. */
let displaced: tf.KernelConfig[] | undefined;

/**
 * Registers the ORT kernels in the wasm backend's place (`on`) or restores the wasm ones. Call after the
 * wasm backend has initialised: the displaced kernels' setup functions must already have run.
 */
export function useOnnxKernels(on: boolean): void {
  if (on === (displaced !== undefined)) return;
  if (on) {
    displaced = [];
    for (const [name, make] of ORT_KERNELS) {
      const wasm = tf.getKernel(name, 'wasm');
      if (wasm === undefined) throw new Error(`wasm kernel '${name}' is not registered: the ORT kernel has nothing to fall back to`);
      displaced.push(wasm);
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(make(wasm));
    }
  } else {
    for (const wasm of displaced!) {
      tf.unregisterKernel(wasm.kernelName, 'wasm');
      tf.registerKernel(wasm);
    }
    displaced = undefined;
  }
}
