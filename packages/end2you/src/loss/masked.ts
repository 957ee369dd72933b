/**
 * End2You's training objectives over padded sequence batches (paper §3.3; upstream `training/losses.py`):
 *
 *   L = (1/L) Σ_l ℓ(ŷ_{·,l}, y_{·,l})  over the valid steps {(b, s) : s < len_b} only,
 *
 * with ℓ one of
 *   ccc: 1 − ρ_c,  ρ_c = 2·cov(y, ŷ) / (σ²_y + σ²_ŷ + (μ_y − μ_ŷ)²)   (population moments, ÷N)
 *   mse: mean (ŷ − y)²                                                   (a true square)
 *   ce:  mean −log softmax(ŷ)_y                                          (one output holding class indices)
 *
 * `upstreamCompat` reproduces upstream's CCC: torch.var (unbiased, ÷(N−1)) in the denominator and a biased
 * (÷N) covariance in the numerator, so identical inputs give a loss of 1/N instead of 0.
 */
import { cccLoss, crossEntropyLoss, mseLoss, tf } from '@facelab/core-tensor';

/** The objectives {@link sequenceLoss} computes. */
export type LossName = 'ccc' | 'mse' | 'ce';

/** Loss names, for argument checks. */
export const LOSS_NAMES: readonly LossName[] = ['ccc', 'mse', 'ce'];

/** Options of {@link sequenceLoss}. */
export interface SequenceLossOptions {
  /** CCC only: upstream's mix of an unbiased variance and a biased covariance (see the module comment). */
  upstreamCompat?: boolean;
}

/** Checks a loss name given on the command line or in options. */
export function checkLossName(name: string, what = 'loss'): LossName {
  if (!(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new Error(`${what} must be one of ${LOSS_NAMES.join(', ')}, got '${name}'`);
  }
  return name as LossName;
}

/**
 * The rows [N, D] of a [B, S, D] tensor at the valid steps of a [B, S] 1/0 mask, in batch-then-time order.
 * Gathering (rather than weighting) keeps padded values, even NaN, out of every moment and gradient.
 */
export function validRows(x: tf.Tensor, mask: tf.Tensor): tf.Tensor2D {
  if (x.rank !== 3) throw new Error(`validRows: expected [batch, steps, outputs], got shape [${x.shape}]`);
  if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
    throw new Error(`validRows: mask has shape [${mask.shape}], expected [${x.shape.slice(0, 2)}]`);
  }
  const flags = mask.dataSync();
  const index: number[] = [];
  flags.forEach((m, i) => {
    if (m > 0) index.push(i);
  });
  if (index.length === 0) throw new Error('validRows: the mask selects no step');
  return tf.tidy(() => tf.gather(tf.reshape(x, [-1, x.shape[2]!]), tf.tensor1d(index, 'int32')) as tf.Tensor2D);
}

/** A [B, S] 1/0 mask from per-sequence lengths. */
export function lengthMask(lengths: readonly number[], steps: number): tf.Tensor2D {
  const data = new Float32Array(lengths.length * steps);
  lengths.forEach((len, b) => {
    if (!(Number.isInteger(len) && len >= 0 && len <= steps)) {
      throw new Error(`lengthMask: length ${len} of sequence ${b} is not an integer in [0, ${steps}]`);
    }
    data.fill(1, b * steps, b * steps + len);
  });
  return tf.tensor2d(data, [lengths.length, steps]);
}

/** Upstream's CCC loss on [N, D] rows: unbiased variances, biased covariance, averaged over outputs. */
function upstreamCccLoss(t: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  const n = t.shape[0];
  if (n < 2) throw new Error('sequenceLoss: upstreamCompat CCC needs at least 2 valid steps (unbiased variance)');
  return tf.tidy(() => {
    const mt = tf.mean(t, 0);
    const mp = tf.mean(p, 0);
    const ct = tf.sub(t, mt);
    const cp = tf.sub(p, mp);
    const cov = tf.mean(tf.mul(ct, cp), 0);
    const unbiased = (c: tf.Tensor) => tf.div(tf.sum(tf.square(c), 0), n - 1);
    const denom = tf.add(tf.add(unbiased(ct), unbiased(cp)), tf.square(tf.sub(mt, mp)));
    return tf.mean(tf.sub(1, tf.div(tf.mul(2, cov), denom))) as tf.Scalar;
  });
}

/**
 * The loss of predictions [B, S, D] (logits [B, S, K] for `ce`) against labels [B, S, D] ([B, S, 1] class
 * indices for `ce`) over the steps where `mask` [B, S] is 1 (see the module comment).
 */
export function sequenceLoss(
  name: LossName,
  labels: tf.Tensor,
  predictions: tf.Tensor,
  mask: tf.Tensor,
  options: SequenceLossOptions = {},
): tf.Scalar {
  checkLossName(name);
  if (name !== 'ce' && labels.shape.join(',') !== predictions.shape.join(',')) {
    throw new Error(`sequenceLoss: labels [${labels.shape}] and predictions [${predictions.shape}] differ in shape`);
  }
  if (name === 'ce' && labels.shape[2] !== 1) {
    throw new Error(`sequenceLoss: 'ce' takes labels [batch, steps, 1] of class indices, got [${labels.shape}]`);
  }
  return tf.tidy(() => {
    const t = validRows(labels, mask);
    const p = validRows(predictions, mask);
    if (name === 'mse') return mseLoss(t, p);
    if (name === 'ce') return crossEntropyLoss(tf.reshape(t, [-1]), p);
    return options.upstreamCompat ? upstreamCccLoss(t, p) : cccLoss(t, p);
  });
}
