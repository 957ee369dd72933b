/**
 * The fused batch-norm kernels on onnxruntime: one cached graph per shape and ε for each direction. ORT runs
 * the elementwise ops and the reductions over the leading axes on every core; x keeps its [..., C] shape
 * and per-channel [C] values broadcast against it.
 *
 * Opt-in (`env.ortBatchNorm`, FACELAB_ORT_BATCH_NORM=1, read per call): in a ResNet-18 training step
 * (batch 16, 112²) they made the whole step slower than the wasm loop kernels: 1.13–1.45 s (single steps)
 * against 0.84–1.13 s. Run on one ORT thread, the BN kernels themselves took 100–140 ms per step against the
 * loops' 170–210 ms, yet the step's median of 5 was 1015–1075 ms against 832–886 ms (3 runs each): the
 * convolutions around them slowed down. Otherwise these kernels hand every call to the loop kernels.
 */
import type { tf } from '../../../tf.js';
import { env, OnnxGraph } from '@facelab/runtime';
import { ortKernel, sizeOf, type OrtKernelArgs } from './ort-kernel.js';
import { FacelabBatchNormTrain, FacelabBatchNormTrainGrad } from '../../kernel_names.js';

/** Axes but the last, and 1/M for M values per channel. */
function geometry(x: tf.TensorInfo): { axes: number[]; invM: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  return { axes: x.shape.slice(0, -1).map((_, i) => i), invM: c / sizeOf(x.shape), c };
}

/** 1/√(variance + ε) as a node. */
const invStd = (g: OnnxGraph, variance: string, epsilon: number) =>
  g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [variance, g.float32s([epsilon], [])])])]);

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

/** FacelabBatchNormTrain on onnxruntime when `env.ortBatchNorm`, else (and below the threshold) `wasm`, the loop kernel. */
export const batchNormTrainOrt = (wasm: tf.KernelConfig) => ortKernel(FacelabBatchNormTrain, wasm, forwardPlan);

/** FacelabBatchNormTrainGrad on onnxruntime when `env.ortBatchNorm`, else (and below the threshold) `wasm`. */
export const batchNormTrainGradOrt = (wasm: tf.KernelConfig) => ortKernel(FacelabBatchNormTrainGrad, wasm, gradPlan);
