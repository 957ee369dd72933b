/**
 * The training objective, our reading of the abstract of Chrysos, Panagakis & Zafeiriou, "Visual Data
 * Augmentation through Learning" (arXiv 1801.06665, §1): the latent space should vary linearly between a
 * frame and the next one, and E, D invert each other. For a batch of consecutive pairs (x_t, x_{t+1}),
 * z_t = E(x_t), z_{t+1} = E(x_{t+1}), ẑ = A z_t + b:
 *
 *   L = λ_rec · mean (D(z_t) − x_t)²                                   (reconstruction)
 *     + λ_tr  · Σ‖z_{t+1} − ẑ‖² / Σ‖z_{t+1} − z̄_{t+1}‖²              (transition)
 *     + λ_pred · mean (D(ẑ) − x_{t+1})²                                (prediction)
 *
 * The transition term is normalised by the spread of the batch's z_{t+1} (z̄ their mean) so that shrinking
 * all latents towards zero does not minimise it; it is 1 − R² of the latent regression and invariant to a
 * common rescaling of z and b.
 */
import { tf } from '@facelab/core-tensor';
import type { AugmentModel } from '../model/types.js';

/** Weights λ of the three terms. */
export interface AugmentLossWeights {
  /** λ_rec (default 1). */
  reconstruction?: number;
  /** λ_tr (default 0.01). */
  transition?: number;
  /** λ_pred (default 1). */
  prediction?: number;
}

/** The default weights. */
export const AUGMENT_LOSS_WEIGHTS: Required<AugmentLossWeights> = { reconstruction: 1, transition: 0.01, prediction: 1 };

/** Σ‖z₁ − ẑ‖² / Σ‖z₁ − z̄₁‖² over the batch (rows), the normalised transition error; ε keeps it finite. */
export function transitionError(z1: tf.Tensor2D, predicted: tf.Tensor2D, epsilon = 1e-8): tf.Scalar {
  return tf.tidy(() => {
    const residual = z1.sub(predicted).square().sum();
    const spread = z1.sub(z1.mean(0, true)).square().sum();
    return residual.div(spread.add(epsilon)) as tf.Scalar;
  });
}

/** The loss of a batch of pairs and its three terms (scalars; call inside a gradient context). */
export function augmentLoss(
  model: AugmentModel,
  x0: tf.Tensor4D,
  x1: tf.Tensor4D,
  weights: AugmentLossWeights = {},
): { loss: tf.Scalar; metrics: { reconstruction: tf.Scalar; transition: tf.Scalar; prediction: tf.Scalar } } {
  const w = { ...AUGMENT_LOSS_WEIGHTS, ...weights };
  for (const [k, v] of Object.entries(w)) if (!(v >= 0)) throw new Error(`loss weight '${k}' must be ≥ 0, got ${v}`);
  const z0 = model.encode(x0, true);
  const z1 = model.encode(x1, true);
  const predicted = model.dynamics.apply(z0);
  const reconstruction = tf.losses.meanSquaredError(x0, model.decode(z0, true)) as tf.Scalar;
  const transition = transitionError(z1, predicted);
  const prediction = tf.losses.meanSquaredError(x1, model.decode(predicted, true)) as tf.Scalar;
  const loss = tf.addN([reconstruction.mul(w.reconstruction), transition.mul(w.transition), prediction.mul(w.prediction)]) as tf.Scalar;
  return { loss, metrics: { reconstruction, transition, prediction } };
}
