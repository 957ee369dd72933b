/**
 * The training objectives of Aff-Wild and OMG-Emotion: one minus the mean of the valence and arousal
 * concordance correlation coefficients (population moments), both through core-tensor's {@link cccLoss}. A mask
 * (1 = real frame, 0 = padding) removes padded frames from every moment, so padded and unpadded sequences give
 * the same loss.
 */
import { tf, cccLoss } from '@facelab/core-tensor';

function checkPair(yTrue: tf.Tensor, yPred: tf.Tensor, fn: string): void {
  if (yTrue.rank < 2 || yTrue.shape.some((d, i) => d !== yPred.shape[i]) || yTrue.rank !== yPred.rank) {
    throw new Error(`${fn}: yTrue [${yTrue.shape}] and yPred [${yPred.shape}] must have the same shape [B, T] or [B, T, D]`);
  }
}

function checkMask(mask: tf.Tensor, yTrue: tf.Tensor, fn: string): void {
  if (mask.rank !== 2 || mask.shape[0] !== yTrue.shape[0] || mask.shape[1] !== yTrue.shape[1]) {
    throw new Error(`${fn}: mask has shape [${mask.shape}], expected [B, T] = [${yTrue.shape.slice(0, 2)}]`);
  }
}

/** [B, T] → [B, T, 1]; [B, T, D] unchanged. */
const withDims = (x: tf.Tensor): tf.Tensor3D => (x.rank === 2 ? x.expandDims(-1) : x) as tf.Tensor3D;

/**
 * AffWildNet's loss 1 − (CCC_v + CCC_a)/2 over all frames of the batch. `yTrue`, `yPred`: [B, T, 2]
 * (or [B, T, D], or [B, T] for one dimension); `mask` [B, T] drops padded frames.
 */
export function affWildLoss(yTrue: tf.Tensor, yPred: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  checkPair(yTrue, yPred, 'affWildLoss');
  if (mask !== undefined) checkMask(mask, yTrue, 'affWildLoss');
  return tf.tidy(() => cccLoss(withDims(yTrue), withDims(yPred), mask));
}

/**
 * OMG-Emotion's loss: the same 1 − mean CCC, on per-sequence means over T (utterance-level labels).
 * Shapes as {@link affWildLoss}; with `mask`, each sequence is averaged over its real frames only.
 */
export function omgLoss(yTrue: tf.Tensor, yPred: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  checkPair(yTrue, yPred, 'omgLoss');
  if (mask !== undefined) checkMask(mask, yTrue, 'omgLoss');
  return tf.tidy(() => {
    const w = mask === undefined ? tf.ones(yTrue.shape.slice(0, 2)) : tf.cast(mask, 'float32');
    const w3 = w.expandDims(-1);
    const count = tf.sum(w3, 1);
    const seqMean = (x: tf.Tensor) => tf.div(tf.sum(tf.mul(withDims(x), w3), 1), count);
    return cccLoss(seqMean(yTrue), seqMean(yPred));
  });
}
