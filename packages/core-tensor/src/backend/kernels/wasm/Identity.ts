/**
 * Identity for wasm, replacing the shipped kernel, which copies the whole tensor into a new heap buffer: the
 * output shares the input's data (one more reference), as tfjs-backend-cpu's Identity does. Gradients pass
 * through Identity several times per op (tf.grads and variableGrads wrap inputs and results): in an IR-ResNet-50
 * micro-step of 4 images the copies took ~70 ms over 1,822 calls, and 1.2 ms per 16×56×56×64 tensor. No
 * facelab or tfjs wasm kernel writes into its inputs, so sharing is safe.
 */
import { tf } from '../../../tf.js';
import { wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

function identity({ inputs, backend }: WasmKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** The sharing Identity kernel. */
export const identityConfig = wasmKernel(tf.Identity, identity);
