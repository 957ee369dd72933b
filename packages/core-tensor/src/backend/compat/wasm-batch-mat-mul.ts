/**
 * Quirk: the GRU kernel's per-step products call the wasm module's C function BatchMatMul (the one the
 * shipped BatchMatMul kernel wraps: XNNPACK, its packed right operand cached by tensor id) through
 * BackendWasm's `wasm.cwrap` and `dataIdMap`, straight into a preallocated output. Neither the function nor
 * those fields are public API. Written for @tensorflow/tfjs-backend-wasm 4.22.0 (WASM_BACKEND_PIN). Remove
 * when the kernel path (reshapes, allocation, frees) costs little next to a small product, or when
 * tfjs-backend-wasm exposes an into-output matmul.
 */
import type { tf } from '../../tf.js';
import type { WasmBackend } from './wasm-backend.js';

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

const shape3 = (rows: number, cols: number) => new Uint8Array(new Int32Array([1, rows, cols]).buffer);

/**
 * out = a·b for 2-D float32 tensors on the wasm backend `backend`, written into `out` by the module's
 * BatchMatMul (no allocation).
 */
export function wasmMatMulInto(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo): void {
  const wasm = backend as WasmInternals;
  let f = matMuls.get(wasm.wasm);
  if (f === undefined) {
    f = wasm.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
    matMuls.set(wasm.wasm, f);
  }
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const id = (info: tf.TensorInfo) => wasm.dataIdMap.get(info.dataId).id;
  f(id(a), shape3(m, k), 3, id(b), shape3(k, n), 3, false, false, id(out));
}
