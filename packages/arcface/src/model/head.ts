/**
 * ArcFace's classification head: cosines between L2-normalised embeddings and L2-normalised class centres.
 * The margin is applied afterwards, on the cosines, by {@link marginLogits} (insightface's partial-FC split).
 */
import { Rng } from '@facelab/runtime';
import { tf } from '@facelab/core-tensor';

/** Options of {@link ArcMarginHead}. */
export interface ArcMarginHeadArgs {
  /** Number of identities (class centres). */
  numClasses: number;
  /** Seed of the N(0, 0.01) centre initialisation (default 0). */
  seed?: number;
  /** Layer name. */
  name?: string;
}

/** N(0, std²) draws from facelab's seeded generator, so a seed fixes the centres on every backend. */
function seededNormal(shape: number[], seed: number, std: number): tf.Tensor {
  const rng = new Rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal(0, std);
  return tf.tensor(values, shape);
}

/**
 * Layer mapping embeddings [B, D] to cosines [B, numClasses] with each class centre (a column of the
 * [D, numClasses] kernel) L2-normalised, as is the embedding. Serialisable (registered as `ArcMarginHead`).
 */
export class ArcMarginHead extends tf.layers.Layer {
  /** Registered class name. */
  static className = 'ArcMarginHead';
  /** Number of class centres. */
  readonly numClasses: number;
  private readonly seed: number;
  private kernel: tf.LayerVariable | undefined;

  constructor(args: ArcMarginHeadArgs) {
    super({ name: args.name });
    if (!Number.isInteger(args.numClasses) || args.numClasses < 1) {
      throw new Error(`ArcMarginHead: numClasses must be a positive integer, got ${args.numClasses}`);
    }
    this.numClasses = args.numClasses;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const dim = shape[shape.length - 1];
    if (shape.length !== 2 || dim == null) {
      throw new Error(`ArcMarginHead '${this.name}': expected embeddings [batch, dim], got [${shape}]`);
    }
    this.kernel = this.addWeight('kernel', [dim, this.numClasses], 'float32', tf.initializers.zeros());
    const init = seededNormal([dim, this.numClasses], this.seed, 0.01);
    this.kernel.write(init);
    init.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0]!, this.numClasses];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const w = this.kernel!.read();
      return tf.matMul(l2Normalize(x, 1), l2Normalize(w, 0));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numClasses: this.numClasses, seed: this.seed };
  }
}
tf.serialization.registerClass(ArcMarginHead);

/** x / max(‖x‖, 1e-12) along `axis` (the epsilon keeps an all-zero row finite). */
export function l2Normalize<T extends tf.Tensor>(x: T, axis: number): T {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', axis, true), 1e-12)) as T);
}
