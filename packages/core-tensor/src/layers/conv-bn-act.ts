/**
 * Conv → batch norm → activation, the unit most facelab backbones are made of. Built from registered layer
 * classes (tfjs's and core-tensor's FusedBatchNorm), so a model containing it serialises through `tf.io`.
 */
import { tf } from '../tf.js';
import { assertImageTensor } from './checks.js';
import { DilatedConv2D } from './dilated-conv2d.js';
import { FusedBatchNorm } from './fused-batch-norm.js';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';

/** An activation a block can end with. `prelu` learns one slope per channel, shared over H and W. */
export type BlockActivation = 'relu' | 'prelu' | 'leakyRelu' | 'linear';

/**
 * Convolution padding: `'same'`/`'valid'` as in tfjs, or a number `p` for symmetric zero padding of `p`
 * pixels on every side followed by a valid convolution (PyTorch/MXNet `padding=p`; tfjs `'same'` puts the
 * odd pixel of a strided convolution at the bottom/right, which shifts pretrained weights by one pixel).
 */
export type ConvPadding = 'same' | 'valid' | number;

/** Options of {@link convBnAct}. */
export interface ConvBnActOptions {
  /** Output channels. */
  filters: number;
  /** Square kernel size (default 3). */
  kernelSize?: number;
  /** Square stride (default 1). */
  strides?: number;
  /** Dilation rate (default 1); above 1 the stride must be 1 and the convolution is a {@link DilatedConv2D}. */
  dilation?: number;
  /** Padding (default `'same'`). */
  padding?: ConvPadding;
  /** Activation after batch norm (default `'relu'`). */
  activation?: BlockActivation;
  /** Convolution bias (default false: batch norm's beta does its job). */
  useBias?: boolean;
  /** Batch-norm moving-average momentum, Keras convention (default 0.99). */
  bnMomentum?: number;
  /** Batch-norm epsilon (default 1e-3). */
  bnEpsilon?: number;
  /** Negative slope of `leakyRelu` (default 0.2). */
  leakyAlpha?: number;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
  /** Layer-name prefix: layers are `<name>_conv`, `<name>_bn`, `<name>_<activation>`. */
  name: string;
}

/** Initial PReLU slope, PyTorch's and insightface's default. */
const PRELU_INIT = 0.25;

/** Applies `activation` as its own layer named `<name>_<activation>`; `'linear'` returns `x` unchanged. */
export function applyActivation(
  x: tf.SymbolicTensor,
  activation: BlockActivation,
  name: string,
  leakyAlpha = 0.2,
): tf.SymbolicTensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.layers.reLU({ name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
    case 'leakyRelu':
      return tf.layers.leakyReLU({ alpha: leakyAlpha, name: `${name}_leakyrelu` }).apply(x) as tf.SymbolicTensor;
    case 'prelu': {
      // Shared over all axes but the last: one slope per channel, whatever the rank.
      const sharedAxes = x.shape.slice(1, -1).map((_, i) => i + 1);
      return tf.layers
        .prelu({ sharedAxes, alphaInitializer: tf.initializers.constant({ value: PRELU_INIT }), name: `${name}_prelu` })
        .apply(x) as tf.SymbolicTensor;
    }
    default:
      throw new Error(`unknown activation '${String(activation)}': expected relu, prelu, leakyRelu or linear`);
  }
}

/** A 2-D convolution with {@link ConvPadding}, named `<name>` (and `<name>_pad` for numeric padding). */
export function conv2dPadded(
  x: tf.SymbolicTensor,
  opts: {
    filters: number;
    kernelSize: number;
    strides: number;
    dilation?: number;
    padding: ConvPadding;
    useBias: boolean;
    seed?: number;
    name: string;
  },
): tf.SymbolicTensor {
  const dilation = opts.dilation ?? 1;
  checkPositiveInt(dilation, `${opts.name}: dilation`);
  if (dilation > 1 && opts.strides !== 1) throw new Error(`${opts.name}: dilation ${dilation} needs strides 1, got ${opts.strides}`);
  let input = x;
  let padding: 'same' | 'valid';
  if (typeof opts.padding === 'number') {
    if (!Number.isInteger(opts.padding) || opts.padding < 0) {
      throw new Error(`${opts.name}: padding must be 'same', 'valid' or a non-negative integer, got ${opts.padding}`);
    }
    if (opts.padding > 0) {
      const p = opts.padding;
      input = tf.layers
        .zeroPadding2d({
          padding: [
            [p, p],
            [p, p],
          ],
          name: `${opts.name}_pad`,
        })
        .apply(x) as tf.SymbolicTensor;
    }
    padding = 'valid';
  } else if (opts.padding === 'same' || opts.padding === 'valid') {
    padding = opts.padding;
  } else {
    throw new Error(
      `${opts.name}: padding must be 'same', 'valid' or a non-negative integer, got '${String(opts.padding)}'`,
    );
  }
  const seed = layerSeed(opts.seed, opts.name);
  if (dilation > 1) {
    const { filters, kernelSize, useBias, name } = opts;
    return new DilatedConv2D({ filters, kernelSize, dilation, padding, useBias, seed, name }).apply(input) as tf.SymbolicTensor;
  }
  return tf.layers
    .conv2d({
      filters: opts.filters,
      kernelSize: opts.kernelSize,
      strides: opts.strides,
      padding,
      useBias: opts.useBias,
      kernelInitializer: tf.initializers.heNormal({ seed }),
      name: opts.name,
    })
    .apply(input) as tf.SymbolicTensor;
}

/**
 * Batch normalisation over the channel axis, named `<name>`: a {@link FusedBatchNorm} (tf.layers.batchNormalization's
 * weights and semantics, fused training kernels).
 */
export function batchNorm(
  x: tf.SymbolicTensor,
  opts: { momentum?: number; epsilon?: number; name: string },
): tf.SymbolicTensor {
  return new FusedBatchNorm({ axis: -1, momentum: opts.momentum ?? 0.99, epsilon: opts.epsilon ?? 1e-3, name: opts.name }).apply(
    x,
  ) as tf.SymbolicTensor;
}

/** Conv2D (no bias by default) → BatchNorm → activation on an NHWC symbolic tensor. */
export function convBnAct(x: tf.SymbolicTensor, options: ConvBnActOptions): tf.SymbolicTensor {
  const {
    filters,
    kernelSize = 3,
    strides = 1,
    dilation = 1,
    padding = 'same',
    activation = 'relu',
    useBias = false,
    name,
  } = options;
  assertImageTensor(x, `convBnAct '${name}'`);
  checkPositiveInt(filters, `convBnAct '${name}': filters`);
  checkPositiveInt(kernelSize, `convBnAct '${name}': kernelSize`);
  checkPositiveInt(strides, `convBnAct '${name}': strides`);
  const conv = conv2dPadded(x, {
    filters,
    kernelSize,
    strides,
    dilation,
    padding,
    useBias,
    seed: options.seed,
    name: `${name}_conv`,
  });
  const bn = batchNorm(conv, { momentum: options.bnMomentum, epsilon: options.bnEpsilon, name: `${name}_bn` });
  return applyActivation(bn, activation, name, options.leakyAlpha);
}
