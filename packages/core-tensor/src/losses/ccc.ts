/** Concordance correlation loss (Aff-Wild / AffWildNet training objective). */
import { tf } from '../tf.js';
import { assertRank, assertSameShape } from './check.js';

/**
 * The mean over output dimensions (the last axis) of 1 − CCC, each CCC computed over all other axes with
 * population moments: CCC = 2·cov / (var_t + var_p + (μ_t − μ_p)²). A 1-D input is one output dimension.
 * With `weights` (one per position of the other axes; e.g. a 1/0 mask of padded frames) every moment is the
 * weighted mean Σ w·x / Σ w, so weight-0 positions drop out. When every weight is 0 (a batch of padding only)
 * there is nothing to fit: the loss is 0 with zero gradient, not the 0/0 = NaN the moments would give.
 * No epsilon is added: a batch where both gold and prediction are constant and equal gives NaN.
 */
export function cccLoss(yTrue: tf.Tensor, yPred: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  assertSameShape(yTrue, yPred, 'cccLoss', ['yTrue', 'yPred']);
  assertRank(yTrue, 1, 'cccLoss', 'yTrue');
  const d = yTrue.rank === 1 ? 1 : yTrue.shape[yTrue.rank - 1]!;
  if (weights !== undefined && weights.size * d !== yTrue.size) {
    throw new Error(`cccLoss: weights has shape [${weights.shape}], expected one weight per row of yTrue [${yTrue.shape}]`);
  }
  return tf.tidy(() => {
    const t = tf.reshape(yTrue, [-1, d]);
    const p = tf.reshape(yPred, [-1, d]);
    let mean = (x: tf.Tensor): tf.Tensor => tf.mean(x, 0);
    // 1 when some weight is non-zero; with all weights 0 it zeroes the loss and its gradient (see above).
    let any: tf.Tensor | undefined;
    if (weights !== undefined) {
      const w = tf.reshape(tf.cast(weights, 'float32'), [-1, 1]);
      const total = tf.sum(w);
      any = tf.cast(tf.greater(total, 0), 'float32');
      // 1 − any keeps every division finite when total = 0 (0/1, not 0/0), so no NaN reaches the gradient.
      const safeTotal = tf.add(total, tf.sub(1, any));
      mean = (x) => tf.div(tf.sum(tf.mul(x, w), 0), safeTotal);
    }
    const mt = mean(t);
    const mp = mean(p);
    const ct = tf.sub(t, mt);
    const cp = tf.sub(p, mp);
    const cov = mean(tf.mul(ct, cp));
    let denom = tf.add(tf.add(mean(tf.square(ct)), mean(tf.square(cp))), tf.square(tf.sub(mt, mp)));
    if (any !== undefined) denom = tf.add(denom, tf.sub(1, any));
    const loss = tf.mean(tf.sub(1, tf.div(tf.mul(2, cov), denom)));
    return (any === undefined ? loss : tf.mul(loss, any)) as tf.Scalar;
  });
}
