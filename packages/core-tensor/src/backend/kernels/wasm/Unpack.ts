/**
 * Unpack (unstack) for wasm, replacing the shipped kernel, which slices through the shipped Slice and so
 * copies the whole input once per output (O(T²) for T time steps of an RNN).
 */
import { tf } from '../../../tf.js';
import { sliceHeap } from './Slice.js';
import { release, reshape, wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

function unpack({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo[] {
  const { value } = inputs as { value: tf.TensorInfo };
  const rank = value.shape.length;
  const axis = tf.util.parseAxisParam((attrs as { axis: number }).axis, value.shape)[0]!;
  const n = value.shape[axis]!;
  const size = value.shape.slice();
  size[axis] = 1;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const outs: tf.TensorInfo[] = [];
  for (let i = 0; i < n; i++) {
    begin[axis] = i;
    const part = sliceHeap(backend, value, begin, size);
    outs.push(reshape(backend, part, outShape));
    release(backend, part);
  }
  return outs;
}

/** Kernel config: Unpack on wasm (overrides the shipped kernel). */
export const unpackConfig = wasmKernel('Unpack', unpack);
