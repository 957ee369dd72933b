/**
 * A GRU bias initialiser that starts the update and reset gates at a constant and the candidate at 0. TF1's
 * `tf.nn.rnn_cell.GRUCell` (AffWildNet's released models) initialises its gate bias to 1.0 and its candidate
 * bias to 0, so that gates start mostly open; Keras and tfjs start every bias at 0.
 */
import { tf } from '../tf.js';

/** Options of {@link GruGateBias}. */
export interface GruGateBiasArgs {
  /** Initial bias of the update (z) and reset (r) gates (TF1 GRUCell: 1). */
  value: number;
}

/** Bias [3u] in tfjs's gate order (z, r, h): `value` for z and r, 0 for the candidate h. Serialisable by name. */
export class GruGateBias extends tf.serialization.Serializable {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabGruGateBias';
  /** Initial gate bias. */
  readonly value: number;

  constructor(args: GruGateBiasArgs) {
    super();
    if (!Number.isFinite(args.value)) throw new Error(`GruGateBias: value must be a finite number, got ${args.value}`);
    this.value = args.value;
  }

  /** The bias tensor for `shape` = [3u]. */
  apply(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    if (shape.length !== 1 || shape[0]! % 3 !== 0) throw new Error(`GruGateBias: shape must be [3 · units], got [${shape}]`);
    const u = shape[0]! / 3;
    return tf.tidy(() => tf.concat([tf.fill([2 * u], this.value, dtype), tf.zeros([u], dtype)]));
  }

  override getClassName(): string {
    return GruGateBias.className;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { value: this.value };
  }
}
tf.serialization.registerClass(GruGateBias);
