/** Shape checks shared by the losses, so a mismatch fails with both shapes named instead of broadcasting. */
import type { tf } from '../tf.js';

/** Throws unless `a` and `b` have identical shapes. */
export function assertSameShape(a: tf.Tensor, b: tf.Tensor, fn: string, names: [string, string]): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${fn}: ${names[0]} has shape [${a.shape}] but ${names[1]} has [${b.shape}]: expected equal shapes`);
  }
}

/** Throws unless `x` has at least `min` dimensions and no empty axis. */
export function assertRank(x: tf.Tensor, min: number, fn: string, name: string): void {
  if (x.rank < min || x.size === 0) {
    throw new Error(`${fn}: ${name} has shape [${x.shape}]: expected rank ≥ ${min} and no empty axis`);
  }
}
