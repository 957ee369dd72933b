/**
 * Optimizer plumbing tfjs leaves out: setting the learning rate of any tf.train optimizer, and capturing or
 * restoring its complete state (getWeights/setWeights miss Adam's running β powers, which setWeights recomputes
 * with pow(); storing them keeps a resumed run bit-identical).
 */
import { tf } from '../tf.js';

/** Private scalar variables some tf.train optimizers keep outside getWeights(). */
const EXTRA_SCALARS = ['accBeta1', 'accBeta2', 'iteration'] as const;

type OptimizerInternals = tf.Optimizer & {
  learningRate?: number;
  setLearningRate?: (lr: number) => void;
} & Partial<Record<(typeof EXTRA_SCALARS)[number], unknown>>;

/** Sets an optimizer's learning rate (SGD/momentum rebuild their kept scalar; the others read the field). */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as OptimizerInternals;
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else if (typeof o.learningRate === 'number') o.learningRate = lr;
  else throw new Error(`cannot set the learning rate of optimizer ${optimizer.getClassName()}`);
}

/** An optimizer's state as named tensors; `release()` frees the ones created for the snapshot. */
export async function captureOptimizerState(
  optimizer: tf.Optimizer,
): Promise<{ weights: { name: string; tensor: tf.Tensor }[]; extras: { name: string; tensor: tf.Tensor }[]; release: () => void }> {
  const weights = await optimizer.getWeights();
  const o = optimizer as OptimizerInternals;
  const extras = EXTRA_SCALARS.filter((k) => o[k] instanceof tf.Variable).map((k) => ({ name: k, tensor: o[k] as tf.Variable }));
  // getWeights() builds a fresh scalar for the iteration count; the rest are the optimizer's own variables.
  const release = () => tf.dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  return { weights, extras, release };
}

/** Restores state captured by {@link captureOptimizerState} into a freshly built optimizer of the same kind. */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  weights: { name: string; tensor: tf.Tensor }[],
  extras: { name: string; tensor: tf.Tensor }[],
): Promise<void> {
  await optimizer.setWeights(weights);
  const o = optimizer as OptimizerInternals;
  for (const { name, tensor } of extras) {
    const v = o[name as (typeof EXTRA_SCALARS)[number]];
    if (!(v instanceof tf.Variable)) {
      throw new Error(`optimizer ${optimizer.getClassName()} has no '${name}' to restore (checkpoint from another optimizer?)`);
    }
    v.assign(tensor);
  }
}
