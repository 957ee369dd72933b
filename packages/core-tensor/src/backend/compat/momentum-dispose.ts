/**
 * Quirk: tfjs-core's MomentumOptimizer.dispose() does not chain to SGDOptimizer.dispose(), so the learning-rate
 * scalar SGD keeps in its private field `c` stays allocated: one leaked tensor per momentum optimizer.
 * {@link disposeOptimizer} disposes the optimizer, then that scalar if it is still alive. Written for
 * @tensorflow/tfjs-core 4.22.0. Remove when MomentumOptimizer.dispose() frees `c` (the pin test's leak check
 * then fails): callers then use `optimizer.dispose()` and this file goes.
 */
import { tf } from '../../tf.js';

/** The tfjs-core version this quirk was written for. */
export const MOMENTUM_DISPOSE_PIN = { name: '@tensorflow/tfjs-core', version: '4.22.0' } as const;

/** Disposes a tf.train optimizer completely, including the learning-rate scalar momentum optimizers leak. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: unknown }).c;
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}
