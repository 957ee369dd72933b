/**
 * BatchMatMul on oneDNN's matmul primitive, written straight into the output tensor (the ORT kernel's output
 * comes back through a fresh buffer: a 25088×512 filter-gradient product faulted in 51 MB per call). Batch
 * dimensions are flattened; they must be equal on both sides or absent (size 1) on one, else the call goes to
 * the kernel replaced.
 */
import { tf } from '../../../tf.js';
import { oneDnnKernel, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

function matMulPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const [ra, rb] = [a.shape.length, b.shape.length];
  if (ra < 2 || rb < 2) return undefined;
  const [batchShapeA, batchShapeB] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  const [batchA, batchB] = [size(batchShapeA), size(batchShapeB)];
  const sameBatch = batchShapeA.length === batchShapeB.length && batchShapeA.every((d, i) => d === batchShapeB[i]);
  if (!sameBatch && batchA !== 1 && batchB !== 1) return undefined;
  const m = a.shape[transposeA ? ra - 1 : ra - 2]!;
  const k = a.shape[transposeA ? ra - 2 : ra - 1]!;
  const n = b.shape[transposeB ? rb - 2 : rb - 1]!;
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  const dims = Int32Array.from([batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0]);
  return { outShapes: [[...batchShape, m, n]], run: (addon, [c], view) => addon.matMul(dims, view(a), view(b), c!) };
}

/** BatchMatMul on oneDNN, falling back to `replaced`. */
export const batchMatMulOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.BatchMatMul, replaced, matMulPlan);
