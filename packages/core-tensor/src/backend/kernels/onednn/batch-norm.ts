/**
 * facelab's fused batch-norm kernels (FacelabBatchNormTrain and its gradient) on oneDNN's batch normalization:
 * x of any rank viewed as [rows, channels] (channels last), batch statistics, every core. The gradient through
 * the batch statistics' own outputs (dmean, dvariance: zeros unless a loss reads a layer's moving statistics)
 * has no oneDNN counterpart: a call with any non-zero there goes to the kernel replaced.
 */
import { tf } from '../../../tf.js';
import { FacelabBatchNormTrain, FacelabBatchNormTrainGrad } from '../../kernel_names.js';
import { oneDnnKernel, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

/** [rows, channels] of a channels-last tensor. */
function rowsByChannels(x: tf.TensorInfo): [number, number] {
  const c = x.shape[x.shape.length - 1]!;
  return [x.shape.reduce((a, b) => a * b, 1) / c, c];
}

function forwardPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const [rows, c] = rowsByChannels(x);
  return {
    outShapes: [x.shape, [c], [c]],
    run: (addon, [y, mean, variance], view) =>
      addon.batchNormForward(rows, c, attrs.epsilon as number, view(x), view(gamma), view(beta), y!, mean!, variance!),
  };
}

function gradPlan({ inputs, attrs, backend }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { dy, x, gamma, mean, variance, dmean, dvariance } = inputs as Record<string, tf.TensorInfo>;
  const zero = (t: tf.TensorInfo) => (backend.typedArrayFromHeap(t) as Float32Array).every((v) => v === 0);
  if (!zero(dmean!) || !zero(dvariance!)) return undefined;
  const [rows, c] = rowsByChannels(x!);
  return {
    outShapes: [x!.shape, [c], [c]],
    run: (addon, [dx, dgamma, dbeta], view) =>
      addon.batchNormBackward(rows, c, attrs.epsilon as number, view(dy!), view(x!), view(gamma!), view(mean!), view(variance!), dx!, dgamma!, dbeta!),
  };
}

/** FacelabBatchNormTrain on oneDNN, falling back to `replaced`. */
export const batchNormTrainOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(FacelabBatchNormTrain, replaced, forwardPlan);
/** FacelabBatchNormTrainGrad on oneDNN when dmean and dvariance are zero, else `replaced`. */
export const batchNormTrainGradOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(FacelabBatchNormTrainGrad, replaced, gradPlan);
