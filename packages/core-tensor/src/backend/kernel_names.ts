/**
 * Names of facelab's own kernels, as tfjs-core's kernel_names.ts names tfjs's (those are exported by `tf`,
 * e.g. `tf.Conv2D`). An op runs a kernel by name; each backend registers its implementation under it
 * (kernels/<backend>/<Kernel>.ts) and the gradient is registered once for the name (gradients/).
 */

/** Fused training-mode batch norm over the last axis: x [..., C], gamma, beta → y, batch mean, biased variance. */
export const FacelabBatchNormTrain = 'FacelabBatchNormTrain';
/** Its gradient: dy, x, gamma, mean, variance, dmean, dvariance → dx, dgamma, dbeta. */
export const FacelabBatchNormTrainGrad = 'FacelabBatchNormTrainGrad';
/** Attributes of both batch-norm kernels. */
export interface FacelabBatchNormTrainAttrs {
  epsilon: number;
}

/** A GRU's whole time loop: xw [B, T, 3H], recurrentKernel [H, 3H] → h [B, T, H]. */
export const FacelabGruRecurrence = 'FacelabGruRecurrence';
/** Its gradient: dh, h, xw, recurrentKernel → dxw, dU. */
export const FacelabGruRecurrenceGrad = 'FacelabGruRecurrenceGrad';

/**
 * PReLU's gradient as one kernel: dy, x, alpha → dx, dalpha, for one slope per channel (alpha's size is x's last
 * dimension). Registered only where a backend has it (onednn); elsewhere Prelu's gradient is tfjs-core's ops.
 */
export const FacelabPreluGrad = 'FacelabPreluGrad';
