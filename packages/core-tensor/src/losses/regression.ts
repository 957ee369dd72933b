/** Element-wise regression losses: mean squared, mean absolute and smooth L1 (Huber with scale 1/β). */
import { tf } from '../tf.js';
import { assertSameShape } from './check.js';

/** Mean over all elements of (yPred − yTrue)²; a scalar. */
export function mseLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  assertSameShape(yTrue, yPred, 'mseLoss', ['yTrue', 'yPred']);
  return tf.tidy(() => tf.mean(tf.squaredDifference(yPred, yTrue)) as tf.Scalar);
}

/** Mean over all elements of |yPred − yTrue|; a scalar. */
export function maeLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  assertSameShape(yTrue, yPred, 'maeLoss', ['yTrue', 'yPred']);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(yPred, yTrue))) as tf.Scalar);
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1Options {
  /** Where the loss turns from quadratic to linear (default 1); 0 gives the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 (PyTorch's `smooth_l1_loss`): per element 0.5·d²/β if |d| < β, else |d| − 0.5·β, with
 * d = yPred − yTrue; the mean over all elements.
 */
export function smoothL1Loss(yTrue: tf.Tensor, yPred: tf.Tensor, options: SmoothL1Options = {}): tf.Scalar {
  const beta = options.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`smoothL1Loss: beta must be ≥ 0, got ${beta}`);
  assertSameShape(yTrue, yPred, 'smoothL1Loss', ['yTrue', 'yPred']);
  return tf.tidy(() => {
    const d = tf.abs(tf.sub(yPred, yTrue));
    if (beta === 0) return tf.mean(d) as tf.Scalar;
    // With c = min(|d|, β): 0.5·c²/β + |d| − c is both branches at once, and differentiable (tfjs has no
    // gradient for the comparison a tf.where would need).
    const c = tf.minimum(d, beta);
    return tf.mean(tf.add(tf.div(tf.mul(0.5, tf.square(c)), beta), tf.sub(d, c))) as tf.Scalar;
  });
}
