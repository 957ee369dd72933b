/**
 * UnsortedSegmentSum for wasm (which ships none; it is the gradient of gather). A scatter-add over the wasm
 * heap in JS is O(size of x); the composite alternative (one-hot matrix times x) costs numSegments times more.
 */
import { tf } from '../../../tf.js';
import { wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

function unsortedSegmentSum({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const idRank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`,
    );
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(idRank));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const ids = backend.readSync(segmentIds.dataId) as tf.TypedArray;
  // Views after makeOutput: allocating may grow (and detach) the heap.
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  os.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue; // TensorFlow drops out-of-range ids
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) os[dst + j]! += xs[src + j]!;
  }
  return out;
}

/** Kernel config: UnsortedSegmentSum on wasm. */
export const unsortedSegmentSumConfig = wasmKernel('UnsortedSegmentSum', unsortedSegmentSum);
