/**
 * Emo16 (Trigeorgis et al., ICASSP 2016; End2You §3.1): raw-audio frame → conv1d 1→40 (k 20, pad 9) → ReLU →
 * max-pool 2 (pad 1) → conv1d 40→40 (k 40, pad 19) → ReLU → max-pool 10 (stride 10, pad 4) across the 40
 * channels at every time step → flatten. 640 samples → 319 steps × 4 = 1276 features (= ⌈T/2⌉·4 − 4).
 */
import { tf } from '@facelab/core-tensor';
import { conv1dBlock, ZeroPadding1d } from './conv1d.js';

/** Options of {@link emo16Features}. */
export interface Emo16Options {
  /**
   * Dropout rate on the raw input while training (default 0). Upstream calls F.dropout(p 0.5), which drops half
   * the samples at training and at test time; 0.5 restores the training-time part. Its masks come from tfjs's
   * global random source, so a run with it is not reproducible from the seed.
   */
  inputDropout?: number;
  /**
   * Upstream reinterprets the conv output's (channel, time) memory as (time, channel) with `view` before the
   * channel pool, mixing time steps into the "channels"; true restores that. Default false: a real transpose.
   */
  upstreamView?: boolean;
  name?: string;
  seed?: number;
}

/** Emo16's feature count on `samples`-sample frames: ⌈T/2⌉·4 − 4 (needs T ≥ 80). */
export function emo16FeatureCount(samples: number): number {
  return Math.ceil(samples / 2) * 4 - 4;
}

/** Max pooling with window = stride = `pool` and `pad` −∞ padding on both ends of the last axis of [N, T, C]. */
export class ChannelMaxPool extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'End2YouChannelMaxPool';
  private readonly pool: number;
  private readonly pad: number;
  private readonly upstreamView: boolean;

  constructor(args: { pool: number; pad: number; upstreamView?: boolean; name?: string }) {
    super({ name: args.name });
    this.pool = args.pool;
    this.pad = args.pad;
    this.upstreamView = args.upstreamView ?? false;
  }

  private outChannels(c: number): number {
    return Math.floor((c + 2 * this.pad - this.pool) / this.pool) + 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, c] = inputShape as tf.Shape;
    return [n!, t!, this.outChannels(c!)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
    return tf.tidy(() => {
      const [n, t, c] = x.shape;
      // PyTorch's (C, T) memory viewed as (T, C): transpose to channel-major, then reshape without moving data.
      const y = this.upstreamView ? tf.reshape(tf.transpose(x, [0, 2, 1]), [n, t, c]) : x;
      const out = this.outChannels(c);
      const padded = tf.pad(y, [[0, 0], [0, 0], [this.pad, this.pad]], -Infinity);
      const used = tf.slice(padded, [0, 0, 0], [n, t, out * this.pool]);
      return tf.max(tf.reshape(used, [n, t, out, this.pool]), 3);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pool: this.pool, pad: this.pad, upstreamView: this.upstreamView };
  }
}
tf.serialization.registerClass(ChannelMaxPool);

/** Emo16 features of raw-audio frames [N, T] → [N, ⌈T/2⌉·4 − 4]. */
export function emo16Features(frames: tf.SymbolicTensor, options: Emo16Options = {}): tf.SymbolicTensor {
  const { name = 'emo16', seed, inputDropout = 0 } = options;
  const samples = frames.shape[1];
  if (frames.shape.length !== 2 || samples == null || samples < 80) {
    throw new Error(`emo16: frames must be [N, samples] with at least 80 samples, got ${JSON.stringify(frames.shape)}`);
  }
  let y = tf.layers.reshape({ targetShape: [samples, 1], name: `${name}_in` }).apply(frames) as tf.SymbolicTensor;
  if (inputDropout > 0) {
    y = tf.layers.dropout({ rate: inputDropout, name: `${name}_drop` }).apply(y) as tf.SymbolicTensor;
  }
  y = conv1dBlock(y, { filters: 40, kernelSize: 20, padding: 9, activation: 'relu', name: `${name}_b1`, seed });
  // Max-pool 2 with padding 1: zeros stand in for PyTorch's −∞ padding since the input is a ReLU output.
  y = new ZeroPadding1d({ padding: 1, name: `${name}_b1_poolpad` }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.maxPooling1d({ poolSize: 2, strides: 2, name: `${name}_b1_pool` }).apply(y) as tf.SymbolicTensor;
  y = conv1dBlock(y, { filters: 40, kernelSize: 40, padding: 19, activation: 'relu', name: `${name}_b2`, seed });
  y = new ChannelMaxPool({ pool: 10, pad: 4, upstreamView: options.upstreamView, name: `${name}_chpool` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.flatten({ name: `${name}_flat` }).apply(y) as tf.SymbolicTensor;
}
