/** Argument checks shared by the layer blocks: each error names the block and the bad value. */
import type { tf } from '../tf.js';

/** Checks that `x` is a 4-D [batch, height, width, channels] tensor, naming the block otherwise. */
export function assertImageTensor(x: tf.SymbolicTensor, block: string): void {
  if (x.shape.length !== 4) {
    throw new Error(
      `${block}: input must be 4-D [batch, height, width, channels], got shape ${JSON.stringify(x.shape)}`,
    );
  }
}

/** The channel count of a 4-D symbolic tensor (must be known). */
export function channelsOf(x: tf.SymbolicTensor, block: string): number {
  const c = x.shape[3];
  if (c == null) throw new Error(`${block}: input channel count must be known, got shape ${JSON.stringify(x.shape)}`);
  return c;
}
