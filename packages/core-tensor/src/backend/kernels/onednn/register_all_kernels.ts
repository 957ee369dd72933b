/**
 * The 'onednn' backend: the 'onnxruntime' backend's kernels (so the wasm instance and its tensors) with the
 * convolutions and their gradients, training-mode batch norm and its gradient, max pooling's gradient and
 * batched matrix products replaced (and per-channel PReLU's gradient added, see gradients/Prelu_grad.ts) by the @facelab/onednn addon's, which run oneDNN's kernels on every core in place on the wasm heap
 * (as PyTorch's CPU training does). Each falls back to the kernel it replaced.
 */
import { tf } from '../../../tf.js';
import { conv2dBackpropFilterOneDnn, conv2dBackpropInputOneDnn } from './conv-backprop.js';
import { conv2dOneDnn, fusedConv2dOneDnn } from './conv-forward.js';
import { batchNormTrainGradOneDnn, batchNormTrainOneDnn } from './batch-norm.js';
import { batchMatMulOneDnn } from './mat-mul.js';
import { maxPoolGradOneDnn } from './max-pool-grad.js';
import { preluGradOneDnn } from './prelu-grad.js';
import { replaceKernels, type KernelOverride } from '../shared/replace-kernels.js';
import { FacelabBatchNormTrain, FacelabBatchNormTrainGrad } from '../../kernel_names.js';

const ONEDNN_KERNELS: KernelOverride[] = [
  [tf.Conv2D, conv2dOneDnn],
  [tf.FusedConv2D, fusedConv2dOneDnn],
  [tf.Conv2DBackpropInput, conv2dBackpropInputOneDnn],
  [tf.Conv2DBackpropFilter, conv2dBackpropFilterOneDnn],
  [FacelabBatchNormTrain, batchNormTrainOneDnn],
  [FacelabBatchNormTrainGrad, batchNormTrainGradOneDnn],
  [tf.MaxPoolGrad, maxPoolGradOneDnn],
  [tf.BatchMatMul, batchMatMulOneDnn],
];

/**
 * Registers the 'onednn' backend and its kernels (idempotent); called by initBackend after the 'onnxruntime'
 * kernels are registered (they are copied here).
 */
export function registerOneDnnKernels(): void {
  if (tf.findBackendFactory('onednn') !== null) return;
  tf.copyRegisteredKernels('onnxruntime', 'onednn');
  replaceKernels('onednn', ONEDNN_KERNELS, { required: true });
  // facelab's own kernels with no counterpart on 'onnxruntime'.
  tf.registerKernel(preluGradOneDnn());
  tf.registerBackend(
    'onednn',
    () => {
      const wasm = tf.findBackend('wasm');
      if (wasm === null) throw new Error("the 'onednn' backend needs the wasm backend initialised first");
      return wasm;
    },
    0,
  );
}
