/**
 * The training objectives of Aff-Wild and OMG-Emotion: one minus the mean of the valence and arousal
 * concordance correlation coefficients (population moments), both through core-tensor's {@link cccLoss}. A mask
 * (1 = real frame, 0 = padding) removes padded frames from every moment, so padded and unpadded sequences give
 * the same loss. A batch with no real frame at all has nothing to fit: its loss is 0 with zero gradient
 * (cccLoss's rule for all-zero weights), never NaN.
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
 * (or [B, T, D], or [B, T] for one dimension); `mask` [B, T] drops padded frames (an all-zero mask gives 0).
 */
export function affWildLoss(yTrue: tf.Tensor, yPred: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  checkPair(yTrue, yPred, 'affWildLoss');
  if (mask !== undefined) checkMask(mask, yTrue, 'affWildLoss');
  return tf.tidy(() => cccLoss(withDims(yTrue), withDims(yPred), mask));
}

/**
 * OMG-Emotion's loss: the same 1 − mean CCC, on per-sequence means over T (utterance-level labels).
 * Shapes as {@link affWildLoss}; with `mask`, each sequence is averaged over its real frames only, and a
 * sequence without any real frame has no mean: it is left out of the CCC (all of them: the loss is 0).
 */
export function omgLoss(yTrue: tf.Tensor, yPred: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  checkPair(yTrue, yPred, 'omgLoss');
  if (mask !== undefined) checkMask(mask, yTrue, 'omgLoss');
  return tf.tidy(() => {
    if (mask === undefined) return cccLoss(tf.mean(withDims(yTrue), 1), tf.mean(withDims(yPred), 1));
    const w3 = tf.cast(mask, 'float32').expandDims(-1);
    const count = tf.sum(w3, 1); // [B, 1]: real frames per sequence
    const hasFrames = tf.cast(tf.greater(count, 0), 'float32');
    // A sequence without frames is divided by 1, not 0 (its sum is 0), and weighted 0 in the CCC.
    const safeCount = tf.add(count, tf.sub(1, hasFrames));
    const seqMean = (x: tf.Tensor) => tf.div(tf.sum(tf.mul(withDims(x), w3), 1), safeCount);
    return cccLoss(seqMean(yTrue), seqMean(yPred), hasFrames.reshape([-1]));
  });
}
