/**
 * Folding time into the batch: [B, T, ...] → [B·T, ...] and back, so a per-frame CNN runs as one batched call.
 * tfjs's TimeDistributed instead loops over T (one slice, one CNN call and one stack per step) and normalises
 * batch-norm statistics over B frames at a time; folding normalises over all B·T frames at once, as the
 * PyTorch CNN-RNN implementations do, and is faster. No built-in layer can change the batch axis, hence
 * these two small registered layers.
 */
import { tf } from '../tf.js';

type Shape = (number | null)[];

function rankError(layer: string, shape: Shape, min: number): Error {
  return new Error(`${layer}: input must have rank ≥ ${min} [batch, time, ...], got shape ${JSON.stringify(shape)}`);
}

/** Merges the batch and time axes: [B, T, ...rest] → [B·T, ...rest]. */
export class FoldTimeLayer extends tf.layers.Layer {
  /** Class name in saved model topologies (the base `getConfig` is the whole config: no options). */
  static readonly className = 'FacelabFoldTime';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length < 3) throw rankError(`${this.getClassName()} '${this.name}'`, shape, 3);
    const [b, t, ...rest] = shape;
    return [b != null && t != null ? b * t : null, ...rest];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank < 3) throw rankError(`${this.getClassName()} '${this.name}'`, x.shape, 3);
    return tf.reshape(x, [-1, ...x.shape.slice(2)]);
  }
}

/** Splits the batch axis of `[folded, original]` into the original's [B, T]: [B·T, ...rest] → [B, T, ...rest]. */
export class UnfoldTimeLayer extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabUnfoldTime';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [folded, original] = inputShape as Shape[];
    if (folded === undefined || original === undefined || original.length < 3) {
      throw new Error(`${this.getClassName()} '${this.name}': expects [folded, original] with original of rank ≥ 3`);
    }
    return [original[0]!, original[1]!, ...folded.slice(1)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) {
      throw new Error(`${this.getClassName()} '${this.name}': expects two inputs [folded, original]`);
    }
    const [folded, original] = inputs as [tf.Tensor, tf.Tensor];
    const [b, t] = original.shape as [number, number];
    if (folded.shape[0] !== b * t) {
      throw new Error(`${this.getClassName()} '${this.name}': folded batch ${folded.shape[0]} is not ${b}·${t}`);
    }
    return tf.reshape(folded, [b, t, ...folded.shape.slice(1)]);
  }
}

tf.serialization.registerClass(FoldTimeLayer);
tf.serialization.registerClass(UnfoldTimeLayer);
