/**
 * The 'onednn' backend: the 'onnxruntime' backend's kernels (so the wasm instance and its tensors) with the
 * convolutions and their gradients replaced by the @facelab/onednn addon's, which run oneDNN's blocked-layout
 * kernels in place on the wasm heap (as PyTorch's CPU convolutions do). Each falls back to the kernel it
 * replaced.
 */
import { tf } from '../../../tf.js';
import { conv2dBackpropFilterOneDnn, conv2dBackpropInputOneDnn } from './conv-backprop.js';
import { conv2dOneDnn, fusedConv2dOneDnn } from './conv-forward.js';

const ONEDNN_KERNELS: [string, (replaced: tf.KernelConfig) => tf.KernelConfig][] = [
  [tf.Conv2D, conv2dOneDnn],
  [tf.FusedConv2D, fusedConv2dOneDnn],
  [tf.Conv2DBackpropInput, conv2dBackpropInputOneDnn],
  [tf.Conv2DBackpropFilter, conv2dBackpropFilterOneDnn],
];

/**
 * Registers the 'onednn' backend and its kernels (idempotent); called by initBackend after the 'onnxruntime'
 * kernels are registered (they are copied here).
 */
export function registerOneDnnKernels(): void {
  if (tf.findBackendFactory('onednn') !== null) return;
  tf.copyRegisteredKernels('onnxruntime', 'onednn');
  for (const [name, make] of ONEDNN_KERNELS) {
    const replaced = tf.getKernel(name, 'onnxruntime');
    if (replaced === undefined) throw new Error(`onnxruntime kernel '${name}' is not registered: the oneDNN kernel has nothing to fall back to`);
    tf.unregisterKernel(name, 'onednn');
    tf.registerKernel(make(replaced));
  }
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
