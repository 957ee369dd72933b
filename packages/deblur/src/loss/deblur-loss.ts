/**
 * The objectives of the two-stream network (arXiv 1803.03330 v1, Sec. 3; weights are our reading):
 *
 *   L = λ₁ · ‖D(x) − y‖₁ + λ_ssim · (1 − SSIM(D(x), y)) + λ_id · (1 − ⟨φ(D(x)), φ(y)⟩) [+ λ_low · ‖low − pool₂(y)‖₁]
 *
 * x the blurred image, y the sharp middle frame, D the deblurring stream, φ the identity stream's L2-normalised
 * embedding (so 1 − ⟨·,·⟩ is the cosine distance; `identityDistance: 'l2'` uses ‖φ(D(x)) − φ(y)‖² = 2 − 2⟨·,·⟩ instead),
 * low the two-step variant's first stage. Means are over the batch (and pixels).
 */
import { tf } from '@facelab/core-tensor';

/** Loss weights; absent terms are off (weight 0). */
export interface DeblurLossWeights {
  /** Weight of the L1 reconstruction term (default 1). */
  l1?: number;
  /** Weight of 1 − SSIM (default 0). */
  ssim?: number;
  /** Weight of the identity term (default 0: deblur-only; the two-stream network sets it). */
  identity?: number;
  /** Weight of the low-frequency stage's L1 (two-step only; default 1). */
  low?: number;
  /** Cosine distance (default) or squared L2 distance of the normalised embeddings. */
  identityDistance?: 'cosine' | 'l2';
}

/** The weights of the two-stream network in our reading (identity term 0.1 next to L1 1). */
export const TWO_STREAM_WEIGHTS: Required<DeblurLossWeights> = { l1: 1, ssim: 0, identity: 0.1, low: 1, identityDistance: 'cosine' };

/** Mean over the batch of 1 − cos between rows of two L2-normalised [N, d] embeddings (cosine), or of ‖a − b‖². */
export function identityLoss(a: tf.Tensor2D, b: tf.Tensor2D, distance: 'cosine' | 'l2' = 'cosine'): tf.Scalar {
  if (a.shape.join() !== b.shape.join()) throw new Error(`identityLoss: embeddings [${a.shape}] and [${b.shape}] differ in shape`);
  return tf.tidy(() => {
    if (distance === 'l2') return tf.mean(tf.sum(tf.square(tf.sub(a, b)), 1)) as tf.Scalar;
    return tf.sub(1, tf.mean(tf.sum(tf.mul(a, b), 1))) as tf.Scalar;
  });
}

/**
 * Differentiable SSIM of NHWC images in [0, 1] with a 7 × 7 uniform window (valid positions), C₁ = (0.01)²,
 * C₂ = (0.03)², averaged over positions, channels and images. (Evaluation uses @facelab/metrics' Gaussian SSIM.)
 */
export function ssimLossTerm(a: tf.Tensor4D, b: tf.Tensor4D, window = 7): tf.Scalar {
  return tf.tidy(() => {
    const pool = (t: tf.Tensor4D) => tf.avgPool(t, window, 1, 'valid');
    const mu1 = pool(a);
    const mu2 = pool(b);
    const s11 = tf.sub(pool(tf.mul(a, a)), tf.mul(mu1, mu1));
    const s22 = tf.sub(pool(tf.mul(b, b)), tf.mul(mu2, mu2));
    const s12 = tf.sub(pool(tf.mul(a, b)), tf.mul(mu1, mu2));
    const c1 = 0.01 ** 2;
    const c2 = 0.03 ** 2;
    const num = tf.mul(tf.add(tf.mul(2, tf.mul(mu1, mu2)), c1), tf.add(tf.mul(2, s12), c2));
    const den = tf.mul(tf.add(tf.add(tf.square(mu1), tf.square(mu2)), c1), tf.add(tf.add(s11, s22), c2));
    return tf.mean(tf.div(num, den)) as tf.Scalar;
  });
}

/** What {@link deblurLoss} needs: the network's outputs, the target, and (for the identity term) the embeddings. */
export interface DeblurLossInputs {
  deblurred: tf.Tensor4D;
  sharp: tf.Tensor4D;
  /** Two-step only: the first stage's half-size output. */
  low?: tf.Tensor4D;
  /** L2-normalised embeddings of the deblurred and the sharp images (identity term only). */
  embeddingDeblurred?: tf.Tensor2D;
  embeddingSharp?: tf.Tensor2D;
}

/** The weighted total and each term (as scalars). */
export function deblurLoss(inputs: DeblurLossInputs, weights: DeblurLossWeights = {}): { total: tf.Scalar; terms: Record<string, tf.Scalar> } {
  const w = { l1: 1, ssim: 0, identity: 0, low: 1, identityDistance: 'cosine' as const, ...weights };
  const terms: Record<string, tf.Scalar> = {};
  terms.l1 = tf.tidy(() => tf.mean(tf.abs(tf.sub(inputs.deblurred, inputs.sharp))) as tf.Scalar);
  let total = tf.mul(w.l1, terms.l1) as tf.Scalar;
  const addTerm = (name: string, weight: number, value: tf.Scalar) => {
    terms[name] = value;
    total = tf.add(total, tf.mul(weight, value)) as tf.Scalar;
  };
  if (w.ssim > 0) addTerm('ssim', w.ssim, tf.tidy(() => tf.sub(1, ssimLossTerm(inputs.deblurred, inputs.sharp)) as tf.Scalar));
  if (w.identity > 0) {
    if (!inputs.embeddingDeblurred || !inputs.embeddingSharp) throw new Error('deblurLoss: the identity term needs both embeddings');
    addTerm('identity', w.identity, identityLoss(inputs.embeddingDeblurred, inputs.embeddingSharp, w.identityDistance));
  }
  if (inputs.low && w.low > 0) {
    addTerm('low', w.low, tf.tidy(() => tf.mean(tf.abs(tf.sub(inputs.low!, tf.avgPool(inputs.sharp, 2, 2, 'valid')))) as tf.Scalar));
  }
  return { total, terms };
}
