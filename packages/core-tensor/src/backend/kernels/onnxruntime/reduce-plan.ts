/**
 * The graph plan shared by Sum and Mean on onnxruntime. The wasm kernels reduce only the innermost axes, so a batch-norm gradient's
 * per-channel sums over [N, H, W] first transpose the whole NHWC tensor; ORT reduces the leading axes in
 * place, on every core.
 */
import { tf } from '../../../tf.js';
import { OnnxGraph } from '@facelab/runtime';
import { sizeOf, type OrtKernelArgs } from './ort-kernel.js';

/** Plans a reduction by the ONNX op `op` over the kernel's `axis` (leading axes only; innermost ones stay on wasm). */
export function reducePlan(op: 'ReduceSum' | 'ReduceMean') {
  return ({ inputs, attrs }: OrtKernelArgs) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    // Innermost axes need no transpose on wasm, which then reduces as fast without the copy out of the heap.
    if (axes.every((a) => a >= x.shape.length - axes.length)) return undefined;
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return {
      flops: sizeOf(x.shape),
      plan: () => ({
        key: JSON.stringify([x.shape, axes, keepDims]),
        feeds: { x },
        outShape,
        build: () => {
          const g = new OnnxGraph();
          const y = g.node(op, [g.input('x', x.shape), g.int64s(axes)], { keepdims: keepDims ? 1 : 0 });
          g.output(y, 'y', outShape);
          return g;
        },
      }),
    };
  };
}
