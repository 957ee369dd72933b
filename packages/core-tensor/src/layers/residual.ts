/**
 * Residual units: ResNet v1 basic and bottleneck blocks (He et al. 2016) and ArcFace's "IR" unit
 * (insightface LResNet-E-IR, Deng et al. 2019). Strided 3×3 convolutions pad one pixel on every side, as
 * PyTorch and MXNet do, so weights trained there line up pixel for pixel.
 */
import { checkPositiveInt } from '@facelab/runtime';
import { tf } from '../tf.js';
import { assertImageTensor, channelsOf } from './checks.js';
import { applyActivation, batchNorm, convBnAct } from './conv-bn-act.js';

/** Options shared by the residual blocks. */
export interface ResidualBlockOptions {
  /** Channels of the block's 3×3 convolutions (a bottleneck outputs 4× this). */
  filters: number;
  /** Stride of the block (default 1); 2 halves height and width. */
  strides?: number;
  /**
   * Dilation of the block's 3×3 convolutions (default 1; basic and bottleneck blocks), padded by the
   * dilation so size is kept: DeepLab's atrous residual stages. Above 1 the stride must be 1.
   */
  dilation?: number;
  /** Batch-norm momentum, Keras convention (default 0.99; irBlock 0.9). */
  bnMomentum?: number;
  /** Batch-norm epsilon (default 1e-5, PyTorch's; irBlock 2e-5, insightface's). */
  bnEpsilon?: number;
  /** Layer-name prefix. */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
  /**
   * Basic and bottleneck blocks: when the block keeps its channel count but strides, take every `strides`-th pixel of `x` as the shortcut
   * (a 1×1 max-pool, TF-slim's `subsample`) instead of a conv1×1 + BN projection (default false, torchvision's).
   */
  subsampleShortcut?: boolean;
}

/** Channel expansion of the ResNet bottleneck block. */
export const BOTTLENECK_EXPANSION = 4;

/**
 * The shortcut branch: `x` itself when shape is kept; with `subsample`, a channel-keeping strided block takes
 * every `strides`-th pixel (`<name>_short_pool`); else conv1×1(stride, no bias) + BN, named
 * `<name>_short_conv` / `<name>_short_bn`.
 */
function shortcut(
  x: tf.SymbolicTensor,
  outChannels: number,
  strides: number,
  bn: { momentum: number; epsilon: number },
  name: string,
  seed: number | undefined,
  subsample = false,
): tf.SymbolicTensor {
  const sameChannels = channelsOf(x, name) === outChannels;
  if (strides === 1 && sameChannels) return x;
  if (subsample && sameChannels) {
    return tf.layers.maxPooling2d({ poolSize: 1, strides, padding: 'valid', name: `${name}_short_pool` }).apply(x) as tf.SymbolicTensor;
  }
  return convBnAct(x, {
    filters: outChannels,
    kernelSize: 1,
    strides,
    padding: 'valid',
    activation: 'linear',
    bnMomentum: bn.momentum,
    bnEpsilon: bn.epsilon,
    seed,
    name: `${name}_short`,
  });
}

function addLayer(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.add({ name: `${name}_add` }).apply([a, b]) as tf.SymbolicTensor;
}

function checkBlock(x: tf.SymbolicTensor, options: ResidualBlockOptions, block: string): number {
  const label = `${block} '${options.name}'`;
  assertImageTensor(x, label);
  checkPositiveInt(options.filters, `${label}: filters`);
  const strides = options.strides ?? 1;
  checkPositiveInt(strides, `${label}: strides`);
  return strides;
}

/**
 * ResNet v1 basic block: conv3×3(stride)-BN-ReLU → conv3×3-BN, + shortcut, → ReLU. Outputs `filters`
 * channels.
 */
export function basicBlock(x: tf.SymbolicTensor, options: ResidualBlockOptions): tf.SymbolicTensor {
  const strides = checkBlock(x, options, 'basicBlock');
  const { filters, name } = options;
  const bn = { momentum: options.bnMomentum ?? 0.99, epsilon: options.bnEpsilon ?? 1e-5 };
  const dilation = options.dilation ?? 1;
  const common = {
    kernelSize: 3,
    padding: dilation,
    dilation,
    bnMomentum: bn.momentum,
    bnEpsilon: bn.epsilon,
    seed: options.seed,
  } as const;
  let y = convBnAct(x, { ...common, filters, strides, activation: 'relu', name: `${name}_1` });
  y = convBnAct(y, { ...common, filters, activation: 'linear', name: `${name}_2` });
  const sum = addLayer(y, shortcut(x, filters, strides, bn, name, options.seed, options.subsampleShortcut), name);
  return applyActivation(sum, 'relu', `${name}_out`);
}

/**
 * ResNet v1 bottleneck block: conv1×1-BN-ReLU → conv3×3(stride)-BN-ReLU → conv1×1(4·filters)-BN, + shortcut,
 * → ReLU. The stride sits on the 3×3 convolution (torchvision and TF-slim; parameter counts are the same
 * either way). Outputs `4 · filters` channels.
 */
export function bottleneckBlock(x: tf.SymbolicTensor, options: ResidualBlockOptions): tf.SymbolicTensor {
  const strides = checkBlock(x, options, 'bottleneckBlock');
  const { filters, name } = options;
  const bn = { momentum: options.bnMomentum ?? 0.99, epsilon: options.bnEpsilon ?? 1e-5 };
  const common = { bnMomentum: bn.momentum, bnEpsilon: bn.epsilon, seed: options.seed } as const;
  const out = filters * BOTTLENECK_EXPANSION;
  let y = convBnAct(x, { ...common, filters, kernelSize: 1, padding: 'valid', name: `${name}_1` });
  const dilation = options.dilation ?? 1;
  y = convBnAct(y, { ...common, filters, kernelSize: 3, strides, padding: dilation, dilation, name: `${name}_2` });
  y = convBnAct(y, {
    ...common,
    filters: out,
    kernelSize: 1,
    padding: 'valid',
    activation: 'linear',
    name: `${name}_3`,
  });
  const sum = addLayer(y, shortcut(x, out, strides, bn, name, options.seed, options.subsampleShortcut), name);
  return applyActivation(sum, 'relu', `${name}_out`);
}

/**
 * ArcFace's improved residual unit (insightface `residual_unit_v3`): BN → conv3×3 → BN → PReLU (one slope per
 * channel) → conv3×3(stride) → BN, + identity or conv1×1(stride)+BN shortcut, with no activation after the
 * add. Convolutions have no bias. Outputs `filters` channels.
 */
export function irBlock(x: tf.SymbolicTensor, options: ResidualBlockOptions): tf.SymbolicTensor {
  const strides = checkBlock(x, options, 'irBlock');
  const { filters, name } = options;
  const bn = { momentum: options.bnMomentum ?? 0.9, epsilon: options.bnEpsilon ?? 2e-5 };
  let y = batchNorm(x, { ...bn, name: `${name}_bn0` });
  y = convBnAct(y, {
    filters,
    kernelSize: 3,
    padding: 1,
    activation: 'prelu',
    bnMomentum: bn.momentum,
    bnEpsilon: bn.epsilon,
    seed: options.seed,
    name: `${name}_1`,
  });
  y = convBnAct(y, {
    filters,
    kernelSize: 3,
    strides,
    padding: 1,
    activation: 'linear',
    bnMomentum: bn.momentum,
    bnEpsilon: bn.epsilon,
    seed: options.seed,
    name: `${name}_2`,
  });
  return addLayer(y, shortcut(x, filters, strides, bn, name, options.seed), name);
}
