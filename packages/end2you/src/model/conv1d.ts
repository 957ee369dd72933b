/** The 1-D convolution blocks End2You's audio and physiological networks are made of (PyTorch padding and init). */
import { tf } from '@facelab/core-tensor';
import { layerSeed } from '@facelab/runtime';

/** Options of {@link conv1dBlock}. */
/** Zero padding of the time axis of [N, T, C] by `padding` on both sides (tfjs-layers has no 1-D padding layer). */
export class ZeroPadding1d extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'End2YouZeroPadding1d';
  private readonly padding: number;

  constructor(args: { padding: number; name?: string }) {
    super({ name: args.name });
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, c] = inputShape as tf.Shape;
    return [n!, t == null ? null : t + 2 * this.padding, c!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.pad(x, [[0, 0], [this.padding, this.padding], [0, 0]]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}
tf.serialization.registerClass(ZeroPadding1d);

/** Options of {@link conv1dBlock}. */
export interface Conv1dBlockOptions {
  filters: number;
  kernelSize: number;
  /** Zero padding on both sides, as PyTorch's `padding=` (default 0). */
  padding?: number;
  /** Batch norm after the convolution (PyTorch defaults: momentum 0.1, ε 1e-5). */
  batchNorm?: boolean;
  activation: 'relu' | 'elu' | 'leakyRelu';
  /** Max pooling after the activation: window = stride = `pool` (no padding); omitted: none. */
  pool?: number;
  name: string;
  seed?: number;
}

/**
 * conv1d → [batch norm] → activation → [max pool] over [N, T, C]. Weights are Kaiming-uniform (He uniform) and
 * biases zero, as upstream's `reset_parameters`; LeakyReLU has PyTorch's slope 0.01.
 */
export function conv1dBlock(x: tf.SymbolicTensor, o: Conv1dBlockOptions): tf.SymbolicTensor {
  let y = x;
  if (o.padding) y = new ZeroPadding1d({ padding: o.padding, name: `${o.name}_pad` }).apply(y) as tf.SymbolicTensor;
  y = tf.layers
    .conv1d({
      filters: o.filters,
      kernelSize: o.kernelSize,
      padding: 'valid',
      kernelInitializer: tf.initializers.heUniform({ seed: layerSeed(o.seed, `${o.name}_conv/kernel`) }),
      biasInitializer: 'zeros',
      name: `${o.name}_conv`,
    })
    .apply(y) as tf.SymbolicTensor;
  if (o.batchNorm) {
    y = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${o.name}_bn` }).apply(y) as tf.SymbolicTensor;
  }
  const act =
    o.activation === 'leakyRelu'
      ? tf.layers.leakyReLU({ alpha: 0.01, name: `${o.name}_act` })
      : o.activation === 'elu'
        ? tf.layers.elu({ name: `${o.name}_act` })
        : tf.layers.reLU({ name: `${o.name}_act` });
  y = act.apply(y) as tf.SymbolicTensor;
  if (o.pool !== undefined) {
    y = tf.layers.maxPooling1d({ poolSize: o.pool, strides: o.pool, padding: 'valid', name: `${o.name}_pool` }).apply(y) as tf.SymbolicTensor;
  }
  return y;
}

/** The length after a valid convolution (after padding) and a pool: ⌊(⌊T + 2p − k⌋ + 1 − pool)/pool⌋ + 1. */
export function conv1dOutputLength(length: number, kernelSize: number, padding: number, pool?: number): number {
  const conv = length + 2 * padding - kernelSize + 1;
  return pool === undefined ? conv : Math.floor((conv - pool) / pool) + 1;
}

/** One block of {@link convStack}: a convolution with its padding and the pool after it. */
export interface ConvStackBlock {
  filters: number;
  kernelSize: number;
  padding: number;
  pool: number;
}

/** Reshapes [N, T] frames to [N, T, 1], runs batch-normalised conv blocks and flattens (Emo18, Zhao19). */
export function convStack(
  frames: tf.SymbolicTensor,
  blocks: readonly ConvStackBlock[],
  activation: 'leakyRelu' | 'elu',
  name: string,
  seed: number | undefined,
): tf.SymbolicTensor {
  let y = tf.layers.reshape({ targetShape: [frames.shape[1]!, 1], name: `${name}_in` }).apply(frames) as tf.SymbolicTensor;
  blocks.forEach((b, i) => {
    y = conv1dBlock(y, { ...b, batchNorm: true, activation, name: `${name}_b${i + 1}`, seed });
  });
  return tf.layers.flatten({ name: `${name}_flat` }).apply(y) as tf.SymbolicTensor;
}
