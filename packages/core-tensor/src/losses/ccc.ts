/** Concordance correlation loss (Aff-Wild / AffWildNet training objective). */
import { tf } from '../tf.js';
import { assertRank, assertSameShape } from './check.js';

/**
 * The mean over output dimensions (the last axis) of 1 − CCC, each CCC computed over all other axes with
 * population moments: CCC = 2·cov / (var_t + var_p + (μ_t − μ_p)²). A 1-D input is one output dimension.
 * With `weights` (one per position of the other axes, Σw > 0; e.g. a 1/0 mask of padded frames) every moment
 * is the weighted mean Σ w·x / Σ w, so weight-0 positions drop out.
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
    if (weights !== undefined) {
      const w = tf.reshape(tf.cast(weights, 'float32'), [-1, 1]);
      const total = tf.sum(w);
      mean = (x) => tf.div(tf.sum(tf.mul(x, w), 0), total);
    }
    const mt = mean(t);
    const mp = mean(p);
    const ct = tf.sub(t, mt);
    const cp = tf.sub(p, mp);
    const cov = mean(tf.mul(ct, cp));
    const denom = tf.add(tf.add(mean(tf.square(ct)), mean(tf.square(cp))), tf.square(tf.sub(mt, mp)));
    return tf.mean(tf.sub(1, tf.div(tf.mul(2, cov), denom))) as tf.Scalar;
  });
}
