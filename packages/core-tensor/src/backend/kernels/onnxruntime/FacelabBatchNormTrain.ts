import type { tf } from '../../../tf.js';
import { env, OnnxGraph } from '@facelab/runtime';
import { geometry, invStd } from './batch-norm-plan.js';
import { ortKernel, sizeOf, type OrtKernelArgs } from './ort-kernel.js';
import { FacelabBatchNormTrain } from '../../kernel_names.js';

function forwardPlan({ inputs, attrs }: OrtKernelArgs) {
  if (!env.ortBatchNorm) return undefined;
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const epsilon = attrs.epsilon as number;
  const { axes, invM, c } = geometry(x);
  return {
    flops: 5 * sizeOf(x.shape),
    plan: () => ({
      key: JSON.stringify([x.shape, epsilon]),
      feeds: { x, gamma, beta },
      outShape: x.shape,
      moreOutShapes: [[c], [c]],
      build: () => {
        const g = new OnnxGraph();
        const xs = g.input('x', x.shape);
        const mean = g.node('ReduceMean', [xs, g.int64s(axes)], { keepdims: 0 });
        const xc = g.node('Sub', [xs, mean]);
        // Two-pass variance (of x − mean): float32 sums of x² − mean² would cancel.
        const variance = g.node('Mul', [g.node('ReduceSumSquare', [xc, g.int64s(axes)], { keepdims: 0 }), g.float32s([invM], [])]);
        const scale = g.node('Mul', [g.input('gamma', [c]), invStd(g, variance, epsilon)]);
        g.output(g.node('Add', [g.node('Mul', [xc, scale]), g.input('beta', [c])]), 'y', x.shape);
        g.output(mean, 'y1', [c]);
        g.output(variance, 'y2', [c]);
        return g;
      },
    }),
  };
}

/** FacelabBatchNormTrain on onnxruntime when `env.ortBatchNorm`, else (and below the threshold) `wasm`, the loop kernel. */
export const batchNormTrainOrt = (wasm: tf.KernelConfig) => ortKernel(FacelabBatchNormTrain, wasm, forwardPlan);
