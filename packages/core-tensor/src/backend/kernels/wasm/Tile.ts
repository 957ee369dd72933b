/**
 * Tile for wasm, replacing the shipped per-element loop (1.5 s to tile [1,1,1,64] to [16,56,56,64], which
 * batch-norm gradients do every step; tf.broadcastTo runs through Tile too). This copies the input's
 * innermost rows once and then replicates ever larger blocks with copyWithin.
 */
import { tf } from '../../../tf.js';
import { wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

function tile({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const reps = (attrs as { reps: number[] }).reps;
  if (x.dtype === 'string') throw new Error('Tile on wasm: string tensors are not supported');
  if (reps.length !== x.shape.length) {
    throw new Error(`Tile on wasm: reps [${reps}] must have one entry per axis of x [${x.shape}]`);
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  if (rank === 0) {
    os[0] = xs[0]!;
    return out;
  }
  const inStrides = [...tf.util.computeStrides(x.shape), 1];
  const outStrides = [...tf.util.computeStrides(outShape), 1];
  // Writes x's sub-box at `axis` (at inOff) to outOff, then repeats it reps[axis] times along that axis.
  const fill = (axis: number, inOff: number, outOff: number): void => {
    const d = x.shape[axis]!;
    if (axis === rank - 1) os.set(xs.subarray(inOff, inOff + d), outOff);
    else for (let i = 0; i < d; i++) fill(axis + 1, inOff + i * inStrides[axis]!, outOff + i * outStrides[axis]!);
    const block = d * outStrides[axis]!;
    for (let r = 1; r < reps[axis]!; r++) os.copyWithin(outOff + r * block, outOff, outOff + block);
  };
  fill(0, 0, 0);
  return out;
}

/** Kernel config: Tile on wasm (overrides the shipped kernel). */
export const tileConfig = wasmKernel('Tile', tile);
