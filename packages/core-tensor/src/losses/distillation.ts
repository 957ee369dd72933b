/** Knowledge distillation loss (Hinton et al. 2015). */
import { tf } from '../tf.js';
import { assertRank, assertSameShape } from './check.js';

/** Options of {@link klDistillationLoss}. */
export interface DistillationOptions {
  /** Softmax temperature T > 0. */
  temperature: number;
}

/**
 * T² · KL(softmax(teacher/T) ‖ softmax(student/T)), summed over classes (last axis) and averaged over rows:
 * for [N, K] logits, PyTorch's `T² · kl_div(log_softmax(s/T), softmax(t/T), reduction='batchmean')`.
 * The T² keeps gradient magnitudes comparable across temperatures. Gradients flow to the student; pass
 * teacher logits from a frozen model (or keep its variables out of the optimizer's var list).
 */
export function klDistillationLoss(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  options: DistillationOptions,
): tf.Scalar {
  const temp = options?.temperature;
  if (typeof temp !== 'number' || !(temp > 0) || !Number.isFinite(temp)) {
    throw new Error(`klDistillationLoss: options.temperature must be a positive number, got ${temp}`);
  }
  assertSameShape(studentLogits, teacherLogits, 'klDistillationLoss', ['studentLogits', 'teacherLogits']);
  assertRank(studentLogits, 1, 'klDistillationLoss', 'studentLogits');
  return tf.tidy(() => {
    const logPs = tf.logSoftmax(tf.div(studentLogits, temp));
    const logPt = tf.logSoftmax(tf.div(teacherLogits, temp));
    const kl = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), -1);
    return tf.mul(tf.mean(kl), temp * temp) as tf.Scalar;
  });
}
