/** Gradient transforms applied between computing and applying gradients. */
import { tf } from '../tf.js';

/** The global L2 norm √(Σ‖gᵢ‖²) of a list of gradients. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Clips by global norm (as tf.clip_by_global_norm): every gᵢ becomes gᵢ · c / max(‖g‖, c). Returns new tensors
 * and the norm before clipping; the inputs are left to the caller.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], clipNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  if (!(clipNorm > 0)) throw new Error(`clipByGlobalNorm: clipNorm must be positive, got ${clipNorm}`);
  const norm = globalNorm(grads);
  const clipped = tf.tidy(() => {
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
    return grads.map((g) => tf.mul(g, scale));
  });
  return { grads: clipped, norm };
}

/** L2 weight decay folded into the gradient (SGD/PyTorch `weight_decay`): gᵢ + λ·wᵢ. Returns new tensors. */
export function addWeightDecay(grads: tf.Tensor[], weights: tf.Tensor[], decay: number, applies: boolean[]): tf.Tensor[] {
  if (!(decay >= 0)) throw new Error(`addWeightDecay: decay must be non-negative, got ${decay}`);
  return tf.tidy(() => grads.map((g, i) => (applies[i] && decay > 0 ? tf.add(g, tf.mul(weights[i]!, decay)) : tf.clone(g))));
}
