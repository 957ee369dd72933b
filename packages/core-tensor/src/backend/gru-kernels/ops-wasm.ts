/**
 * {@link GruBackendOps} on the wasm backend: buffers live on the wasm heap, products go through the BatchMatMul
 * registered for wasm (XNNPACK for the per-step products; onnxruntime's for the large ones when that backend
 * is active), views are fresh windows on the heap.
 */
import type { tf } from '../../tf.js';
import { release, runWasm, type WasmBackend } from '../wasm-kernels/wasm-ops.js';
import type { GruBackendOps } from './recurrence.js';

/** Backend operations for the GRU recurrence on the wasm backend `backend`. */
export function wasmGruOps(backend: tf.KernelBackend): GruBackendOps {
  const wasm = backend as WasmBackend;
  return {
    alloc: (shape) => wasm.makeOutput(shape, 'float32'),
    view: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
    product: (a, b, transposeA = false) => runWasm(wasm, 'BatchMatMul', { a, b }, { transposeA, transposeB: false }),
    free: (...infos) => release(wasm, ...infos),
  };
}
