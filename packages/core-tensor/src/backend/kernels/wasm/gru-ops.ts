/**
 * {@link GruBackendOps} on the wasm backend: buffers live on the wasm heap, views are fresh windows on it.
 * Large products go through the BatchMatMul registered for wasm (XNNPACK, or onnxruntime's when that backend
 * is active). The per-step products call the wasm module's BatchMatMul function (the one the shipped kernel
 * wraps; see compat/wasm-batch-mat-mul.ts) straight into a preallocated output: the
 * kernel path's reshapes, allocation and frees cost as much as the product at these sizes (measured 10 ms
 * against 5 ms for 320 products of 8×128×256).
 */
import type { tf } from '../../../tf.js';
import { wasmBuffers, type WasmBackend } from '../../compat/wasm-backend.js';
import { wasmMatMulInto } from '../../compat/wasm-batch-mat-mul.js';
import type { GruBackendOps } from '../shared/gru-recurrence.js';
import { release, runWasm } from './wasm-ops.js';

/** Backend operations for the GRU recurrence on the wasm backend `backend`. */
export function wasmGruOps(backend: tf.KernelBackend): GruBackendOps {
  const wasm = backend as WasmBackend;
  return {
    ...wasmBuffers(wasm),
    product: (a, b, transposeA = false) => runWasm(wasm, 'BatchMatMul', { a, b }, { transposeA, transposeB: false }),
    productInto: (a, b, out) => {
      const [m, k] = a.shape as [number, number];
      const n = b.shape[1]!;
      if (b.shape[0] !== k || out.shape[0] !== m || out.shape[1] !== n) {
        throw new Error(`GRU step product: shapes [${a.shape}]·[${b.shape}] → [${out.shape}] do not match`);
      }
      wasmMatMulInto(wasm, a, b, out);
    },
    free: (...infos) => release(wasm, ...infos),
  };
}
