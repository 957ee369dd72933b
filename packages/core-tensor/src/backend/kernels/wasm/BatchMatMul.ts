/**
 * BatchMatMul for wasm, wrapping the shipped kernel, which reaches XNNPACK only for an untransposed single
 * product and otherwise runs a scalar loop (8–20× slower; dense and GRU backward passes are transposed
 * products). Transposes are materialised with the wasm Transpose and batches split into single products
 * copied in and out of the heap in place.
 */
import { tf } from '../../../tf.js';
import { sliceHeap } from './Slice.js';
import { release, reshape, transpose, wasmKernel, type WasmBackend, type WasmKernelArgs } from './wasm-ops.js';

/** [batch, rows, cols] view of a rank ≥ 2 tensor, transposed in memory if `t`. */
function asPlain3d(backend: WasmBackend, x: tf.TensorInfo, t: boolean): tf.TensorInfo {
  const r = x.shape.length;
  const rows = x.shape[r - 2]!;
  const cols = x.shape[r - 1]!;
  const x3 = reshape(backend, x, [tf.util.sizeFromShape(x.shape.slice(0, -2)), rows, cols]);
  if (!t) return x3;
  const y = transpose(backend, x3, [0, 2, 1]);
  release(backend, x3);
  return y;
}

/** Wraps the shipped kernel `original` (its setup must run for the wasm function binding). */
export function batchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const plain = (backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo =>
    original.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;

  /** Batched a·b of plain [batch, m, k] × [batch, k, n] products, one XNNPACK call per batch entry. */
  const product = (backend: WasmBackend, a3: tf.TensorInfo, b3: tf.TensorInfo): tf.TensorInfo => {
    const [ba, m, k] = a3.shape as [number, number, number];
    const [bb, , n] = b3.shape as [number, number, number];
    const batch = Math.max(ba, bb);
    if (batch === 1) return plain(backend, a3, b3);
    const out = backend.makeOutput([batch, m, n], 'float32');
    for (let i = 0; i < batch; i++) {
      // A batch of 1 broadcasts against the other operand's batch.
      const ai = ba === 1 ? reshape(backend, a3, a3.shape) : sliceHeap(backend, a3, [i, 0, 0], [1, m, k]);
      const bi = bb === 1 ? reshape(backend, b3, b3.shape) : sliceHeap(backend, b3, [i, 0, 0], [1, k, n]);
      const yi = plain(backend, ai, bi);
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(yi), i * m * n);
      release(backend, ai, bi, yi);
    }
    return out;
  };

  const config = wasmKernel('BatchMatMul', ({ inputs, backend, attrs }: WasmKernelArgs) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const k2 = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (k !== k2) {
      throw new Error(`BatchMatMul: inner dimensions ${k} and ${k2} of shapes [${a.shape}] and [${b.shape}] differ`);
    }
    // XNNPACK packs the right operand on every call, so for a·bᵀ with a few rows in a (a GRU's dx = dz·Wᵀ)
    // (b·aᵀ)ᵀ, which transposes and packs only the small operand, is the cheaper form.
    const swap = !transposeA && transposeB && 2 * m * k + m * n < 2 * n * k;
    let out: tf.TensorInfo;
    if (swap) {
      const a3 = asPlain3d(backend, a, true); // [batch, k, m]
      const b3 = asPlain3d(backend, b, false); // [batch, n, k]
      const yt = product(backend, b3, a3); // [batch, n, m]
      release(backend, a3, b3);
      out = transpose(backend, yt, [0, 2, 1]);
      release(backend, yt);
    } else {
      const a3 = asPlain3d(backend, a, transposeA);
      const b3 = asPlain3d(backend, b, transposeB);
      out = product(backend, a3, b3);
      release(backend, a3, b3);
    }
    const shaped = reshape(backend, out, [...outBatch, m, n]);
    release(backend, out);
    return shaped;
  });
  return { ...config, setupFunc: original.setupFunc };
}
