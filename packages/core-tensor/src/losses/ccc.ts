/** Concordance correlation loss (Aff-Wild / AffWildNet training objective). */
import { tf } from '../tf.js';
import { assertRank, assertSameShape } from './check.js';

/**
 * The mean over output dimensions (the last axis) of 1 − CCC, each CCC computed over all other axes with
 * population moments: CCC = 2·cov / (var_t + var_p + (μ_t − μ_p)²). A 1-D input is one output dimension.
 * No epsilon is added: a batch where both gold and prediction are constant and equal gives NaN.
 */
export function cccLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  assertSameShape(yTrue, yPred, 'cccLoss', ['yTrue', 'yPred']);
  assertRank(yTrue, 1, 'cccLoss', 'yTrue');
  return tf.tidy(() => {
    const d = yTrue.rank === 1 ? 1 : yTrue.shape[yTrue.rank - 1];
    const t = tf.reshape(yTrue, [-1, d]);
    const p = tf.reshape(yPred, [-1, d]);
    const mt = tf.mean(t, 0);
    const mp = tf.mean(p, 0);
    const ct = tf.sub(t, mt);
    const cp = tf.sub(p, mp);
    const cov = tf.mean(tf.mul(ct, cp), 0);
    const denom = tf.add(tf.add(tf.mean(tf.square(ct), 0), tf.mean(tf.square(cp), 0)), tf.square(tf.sub(mt, mp)));
    return tf.mean(tf.sub(1, tf.div(tf.mul(2, cov), denom))) as tf.Scalar;
  });
}
