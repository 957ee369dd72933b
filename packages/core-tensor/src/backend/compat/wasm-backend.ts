/**
 * Quirk: our wasm kernels allocate outputs and view tensors on the wasm heap through BackendWasm's
 * `makeOutput` and `typedArrayFromHeap`, which tfjs-backend-wasm's own kernels use but which are not
 * documented API. Written for @tensorflow/tfjs-backend-wasm 4.22.0. Remove when tfjs-backend-wasm documents
 * a kernel-author API for heap buffers (then type kernels against it and drop this file).
 */
import { tf } from '../../tf.js';
import type { Float32Buffers } from './cpu-backend.js';

/** The tfjs-backend-wasm version this quirk (and the other wasm quirks here) was written for. */
export const WASM_BACKEND_PIN = { name: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' } as const;

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.BackendValues): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/** Float32 buffers on the wasm backend `backend`: outputs on the heap, views as fresh windows on it. */
export function wasmBuffers(backend: tf.KernelBackend): Float32Buffers {
  const wasm = backend as WasmBackend;
  return { alloc: (shape) => wasm.makeOutput(shape, 'float32'), view: (info) => wasm.typedArrayFromHeap(info) as Float32Array };
}
