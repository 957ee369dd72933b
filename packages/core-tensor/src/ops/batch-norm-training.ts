/**
 * The batchNormTraining op: runs the fused kernel FacelabBatchNormTrain (backend/kernel_names.ts; kernels in
 * backend/kernels/<backend>/, gradient in backend/gradients/) where the active backend has it, tf ops
 * elsewhere.
 */
import { FacelabBatchNormTrain } from '../backend/kernel_names.js';
import { tf } from '../tf.js';

/** Output of {@link batchNormTraining}: the normalised tensor and the batch statistics it used. */
export interface BatchNormTrainingResult {
  /** γ·(x − mean)/√(variance + ε) + β, shaped as x. */
  y: tf.Tensor;
  /** Per-channel batch mean [C]. */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance [C] (divided by the number of values per channel, as tf.moments). */
  variance: tf.Tensor1D;
}

/** The same computation as tf ops (tf.moments + tf.batchNorm): for backends without the fused kernels. */
function batchNormTrainingOps(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  return tf.tidy(() => {
    const c = gamma.shape[0];
    const x2 = tf.reshape(x, [-1, c]);
    const { mean, variance } = tf.moments(x2, [0]);
    const y = tf.reshape(tf.batchNorm(x2, mean, variance, beta, gamma, epsilon), x.shape);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * Training-mode batch norm of x [..., C] over every axis but the last, with tfjs-layers' semantics (biased
 * batch variance, ε inside the square root): one fused kernel forward and one backward on cpu, wasm and
 * onnxruntime, tf ops elsewhere. Differentiable in x, gamma and beta (and through mean and variance).
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const c = x.shape[x.rank - 1];
  if (x.rank < 2 || c === undefined || c === 0 || x.size === 0) {
    throw new Error(`batchNormTraining: x must have rank ≥ 2 and no empty axis, got shape [${x.shape}]`);
  }
  if (gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== c || beta.shape[0] !== c) {
    throw new Error(`batchNormTraining: x [${x.shape}] needs gamma and beta of shape [${c}], got [${gamma.shape}] and [${beta.shape}]`);
  }
  if (x.dtype !== 'float32' || gamma.dtype !== 'float32' || beta.dtype !== 'float32') {
    throw new Error(`batchNormTraining: x, gamma and beta must be float32, got ${x.dtype}, ${gamma.dtype}, ${beta.dtype}`);
  }
  if (!(epsilon > 0)) throw new Error(`batchNormTraining: epsilon must be positive, got ${epsilon}`);
  if (tf.getKernel(FacelabBatchNormTrain, tf.getBackend()) === undefined) return batchNormTrainingOps(x, gamma, beta, epsilon);
  const [y, mean, variance] = tf.engine().runKernel(FacelabBatchNormTrain, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y: y!, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
