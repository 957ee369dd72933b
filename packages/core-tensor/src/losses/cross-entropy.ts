/** Softmax cross-entropy from logits, with integer or one-hot labels and optional label smoothing. */
import { tf } from '../tf.js';
import { assertRank, assertSameShape } from './check.js';

/**
 * 1 when every label is an integer class index in [0, k), else NaN: computed on the device (no host read, which
 * would stall a GPU pipeline and which WebGPU in Node cannot do synchronously).
 */
function classIndexGuard(labels: tf.Tensor, k: number): tf.Scalar {
  return tf.tidy(() => {
    const l = tf.cast(labels, 'float32');
    const valid = tf.all(tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(l, 0), tf.less(l, k)), tf.equal(l, tf.floor(l))));
    return tf.where(valid, tf.scalar(1), tf.scalar(NaN)) as tf.Scalar;
  });
}

/** Options of {@link crossEntropyLoss}. */
export interface CrossEntropyOptions {
  /** Label smoothing ε in [0, 1): the target becomes (1 − ε)·onehot + ε/K (Szegedy et al. 2016). Default 0. */
  labelSmoothing?: number;
}

/**
 * Mean over samples of −Σ_k target_k · log softmax(logits)_k. `logits` is [..., K]; `labels` is either
 * integer class indices with the logits' shape minus the last axis (int32, or floats holding integers; an
 * index that is not an integer in [0, K) makes the loss NaN, checked on the device, which `train()` stops at
 * with a NonFiniteLossError), or one-hot / probability rows with the logits' shape.
 */
export function crossEntropyLoss(labels: tf.Tensor, logits: tf.Tensor, options: CrossEntropyOptions = {}): tf.Scalar {
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1)) throw new Error(`crossEntropyLoss: labelSmoothing must be in [0, 1), got ${eps}`);
  assertRank(logits, 1, 'crossEntropyLoss', 'logits');
  const k = logits.shape[logits.rank - 1];
  const integer = labels.rank === logits.rank - 1;
  if (integer) {
    const expected = logits.shape.slice(0, -1);
    if (labels.shape.some((d, i) => d !== expected[i])) {
      throw new Error(`crossEntropyLoss: integer labels have shape [${labels.shape}] but logits [${logits.shape}]: expected [${expected}]`);
    }
  } else {
    assertSameShape(labels, logits, 'crossEntropyLoss', ['one-hot labels', 'logits']);
  }
  return tf.tidy(() => {
    let target = integer ? tf.oneHot(tf.cast(labels, 'int32').flatten(), k).reshape(logits.shape) : tf.cast(labels, 'float32');
    if (eps > 0) target = tf.add(tf.mul(target, 1 - eps), eps / k);
    const perSample = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
    const loss = tf.mean(perSample) as tf.Scalar;
    return integer ? (tf.mul(loss, classIndexGuard(labels, k!)) as tf.Scalar) : loss;
  });
}
