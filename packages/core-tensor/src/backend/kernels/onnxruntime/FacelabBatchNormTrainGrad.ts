import type { tf } from '../../../tf.js';
import { env, OnnxGraph } from '@facelab/runtime';
import { geometry, invStd } from './batch-norm-plan.js';
import { ortKernel, sizeOf, type OrtKernelArgs } from './ort-kernel.js';
import { FacelabBatchNormTrainGrad } from '../../kernel_names.js';

function gradPlan({ inputs, attrs }: OrtKernelArgs) {
  if (!env.ortBatchNorm) return undefined;
  const { dy, x, gamma, mean, variance, dmean, dvariance } = inputs as Record<string, tf.TensorInfo>;
  const epsilon = attrs.epsilon as number;
  const { axes, invM, c } = geometry(x!);
  return {
    flops: 8 * sizeOf(x!.shape),
    plan: () => ({
      key: JSON.stringify([x!.shape, epsilon]),
      feeds: { dy: dy!, x: x!, gamma: gamma!, mean: mean!, variance: variance!, dmean: dmean!, dvariance: dvariance! },
      outShape: x!.shape,
      moreOutShapes: [[c], [c]],
      build: () => {
        const g = new OnnxGraph();
        const [dys, xs] = [g.input('dy', x!.shape), g.input('x', x!.shape)];
        const [gam, mu, v, dmu, dv] = ['gamma', 'mean', 'variance', 'dmean', 'dvariance'].map((n) => g.input(n, [c]));
        const m = g.float32s([invM], []);
        const xc = g.node('Sub', [xs, mu!]);
        const sdy = g.node('ReduceSum', [dys, g.int64s(axes)], { keepdims: 0 });
        const inv = invStd(g, v!, epsilon);
        const dgamma = g.node('Mul', [g.node('ReduceSum', [g.node('Mul', [dys, xc]), g.int64s(axes)], { keepdims: 0 }), inv]);
        const k = g.node('Mul', [gam!, inv]);
        // dx = k·dy + a·(x − μ) + b, a = (2·dσ² − k·inv·dγ)/M, b = (dμ − k·Σdy)/M (see loops.ts).
        const twoDv = g.node('Add', [dv!, dv!]);
        const a = g.node('Mul', [g.node('Sub', [twoDv, g.node('Mul', [g.node('Mul', [k, inv]), dgamma])]), m]);
        const b = g.node('Mul', [g.node('Sub', [dmu!, g.node('Mul', [k, sdy])]), m]);
        const dx = g.node('Add', [g.node('Add', [g.node('Mul', [dys, k]), g.node('Mul', [xc, a])]), b]);
        g.output(dx, 'y', x!.shape);
        g.output(dgamma, 'y1', [c]);
        g.output(sdy, 'y2', [c]);
        return g;
      },
    }),
  };
}

/** FacelabBatchNormTrainGrad on onnxruntime when `env.ortBatchNorm`, else (and below the threshold) `wasm`. */
export const batchNormTrainGradOrt = (wasm: tf.KernelConfig) => ortKernel(FacelabBatchNormTrainGrad, wasm, gradPlan);
