/**
 * tfjs-layers' BatchNormalization with its training step run by the fused batch-norm kernels (see
 * ops/batch-norm-training.ts): one kernel forward and one backward instead of tf.moments + tf.batchNorm and the ~25
 * kernels of their gradients. A subclass of tfjs's own class, so weights (gamma, beta, moving_mean,
 * moving_variance), initialisers, constraints, regularisers, config and inference are tfjs's, unchanged.
 */
import { batchNormalizationClass, batchNormalizationFields } from '../backend/compat/batch-normalization.js';
import { batchNormTraining } from '../ops/batch-norm-training.js';
import { tf } from '../tf.js';

/** Options of {@link FusedBatchNorm}: exactly tf.layers.batchNormalization's. */
export type FusedBatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** moving ← moving − (moving − value)·(1 − momentum), tfjs-layers' moving-average update. */
function updateMovingAverage(variable: tf.LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - momentum)));
  });
}

/**
 * Batch normalisation layer with tf.layers.batchNormalization's weights, options and semantics; training
 * over the last axis runs {@link batchNormTraining}'s fused kernels (other axes, and inference, run tfjs's
 * code). Unlike tfjs 4.22 it also trains with `center: false` or `scale: false`.
 */
export class FusedBatchNorm extends batchNormalizationClass() {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabBatchNorm';

  constructor(args: FusedBatchNormArgs = {}) {
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const f = batchNormalizationFields(this);
    const lastAxis = f.axis === -1 || f.axis === x.rank - 1;
    if (!kwargs?.training || !lastAxis) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const c = x.shape[x.rank - 1]!;
      const gamma = (f.gamma?.read() ?? tf.ones([c])) as tf.Tensor1D;
      const beta = (f.beta?.read() ?? tf.zeros([c])) as tf.Tensor1D;
      const { y, mean, variance } = batchNormTraining(x, gamma, beta, f.epsilon);
      updateMovingAverage(f.movingMean, mean, f.momentum);
      updateMovingAverage(f.movingVariance, variance, f.momentum);
      return y;
    });
  }
}

tf.serialization.registerClass(FusedBatchNorm);
