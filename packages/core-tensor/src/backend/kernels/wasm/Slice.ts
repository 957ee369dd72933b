/**
 * Slice for wasm, replacing the shipped kernel, which first copies the whole input out of the wasm heap
 * (readSync) and so makes unstacking T time steps cost O(T²). This copies only the selected rows, reading
 * the input in place.
 */
import { tf } from '../../../tf.js';
import { wasmKernel, type WasmBackend, type WasmKernelArgs } from './wasm-ops.js';

/** Copies the box `begin`..`begin + size` of `x` into a new wasm tensor, contiguous innermost runs at a time. */
export function sliceHeap(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  const rank = size.length;
  if (rank === 0 || tf.util.sizeFromShape(size) === 0) {
    if (rank === 0) os[0] = xs[0]!;
    return out;
  }
  const strides = tf.util.computeStrides(x.shape);
  const run = size[rank - 1]!;
  const outer = tf.util.sizeFromShape(size.slice(0, -1));
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let k = 0; k < outer; k++) {
    let src = begin[rank - 1]!;
    for (let a = 0; a < rank - 1; a++) src += (begin[a]! + idx[a]!) * strides[a]!;
    os.set(xs.subarray(src, src + run), k * run);
    for (let a = rank - 2; a >= 0; a--) {
      if (++idx[a]! < size[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** Kernel config: Slice on wasm (overrides the shipped kernel, which still serves string tensors: they live off the heap). */
export function sliceConfig(original: tf.KernelConfig | undefined): tf.KernelConfig {
  return wasmKernel('Slice', (args: WasmKernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') {
      if (original === undefined) throw new Error('Slice on wasm: string tensors are not supported');
      return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceHeap(args.backend, x, b, s);
  });
}
