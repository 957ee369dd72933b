/**
 * {@link GruBackendOps} on the wasm backend: buffers live on the wasm heap, views are fresh windows on it.
 * Large products go through the BatchMatMul registered for wasm (XNNPACK, or onnxruntime's when that backend
 * is active). The per-step products call the wasm module's BatchMatMul function (the one the shipped kernel
 * wraps: XNNPACK, its packed right operand cached by tensor id) straight into a preallocated output: the
 * kernel path's reshapes, allocation and frees cost as much as the product at these sizes (measured 10 ms
 * against 5 ms for 320 products of 8×128×256).
 */
import type { tf } from '../../tf.js';
import { release, runWasm, type WasmBackend } from '../wasm-kernels/wasm-ops.js';
import type { GruBackendOps } from './recurrence.js';

type WasmMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

/** tfjs-backend-wasm internals used for the direct call (the same ones its BatchMatMul kernel uses). */
interface WasmInternals extends WasmBackend {
  wasm: { cwrap(name: string, ret: null, args: string[]): WasmMatMul };
  dataIdMap: { get(dataId: tf.DataId): { id: number } };
}

const matMuls = new WeakMap<object, WasmMatMul>();

/** The module's BatchMatMul(aId, aShape, aRank, bId, bShape, bRank, transposeA, transposeB, outId). */
function wasmMatMul(backend: WasmInternals): WasmMatMul {
  let f = matMuls.get(backend.wasm);
  if (f === undefined) {
    f = backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
    matMuls.set(backend.wasm, f);
  }
  return f;
}

const shape3 = (rows: number, cols: number) => new Uint8Array(new Int32Array([1, rows, cols]).buffer);

/** Backend operations for the GRU recurrence on the wasm backend `backend`. */
export function wasmGruOps(backend: tf.KernelBackend): GruBackendOps {
  const wasm = backend as WasmInternals;
  const matMul = wasmMatMul(wasm);
  const id = (info: tf.TensorInfo) => wasm.dataIdMap.get(info.dataId).id;
  return {
    alloc: (shape) => wasm.makeOutput(shape, 'float32'),
    view: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
    product: (a, b, transposeA = false) => runWasm(wasm, 'BatchMatMul', { a, b }, { transposeA, transposeB: false }),
    productInto: (a, b, out) => {
      const [m, k] = a.shape as [number, number];
      const n = b.shape[1]!;
      if (b.shape[0] !== k || out.shape[0] !== m || out.shape[1] !== n) {
        throw new Error(`GRU step product: shapes [${a.shape}]·[${b.shape}] → [${out.shape}] do not match`);
      }
      matMul(id(a), shape3(m, k), 3, id(b), shape3(k, n), 3, false, false, id(out));
    },
    free: (...infos) => release(wasm, ...infos),
  };
}
