/**
 * Encoder–decoder (U-Net style with skips, Ronneberger et al. 2015) and upsampling blocks for image-to-image
 * models.
 */
import { tf } from '../tf.js';
import { assertImageTensor, channelsOf } from './checks.js';
import { convBnAct, type BlockActivation } from './conv-bn-act.js';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';

/** How a block doubles (or multiplies) resolution. */
export type UpsampleMode = 'nearest' | 'bilinear' | 'transposed';

/** Options of {@link upsample}. */
export interface UpsampleOptions {
  /** Integer scale factor of height and width. */
  factor: number;
  /**
   * `'nearest'`/`'bilinear'` (UpSampling2D, no weights) or `'transposed'` (Conv2DTranspose, learnt). tfjs's
   * bilinear samples at `out / factor` (no half-pixel centres), so it sits half a pixel off PyTorch's
   * `align_corners=False`; irrelevant when training here, relevant when porting weights.
   */
  mode: UpsampleMode;
  /** Output channels of a transposed convolution (default: the input's). Ignored by the other modes. */
  filters?: number;
  /** Kernel size of a transposed convolution (default `factor`: each output pixel sees one input pixel). */
  kernelSize?: number;
  /** Layer name. */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
}

/** Scales height and width of an NHWC tensor by `factor`. */
export function upsample(x: tf.SymbolicTensor, options: UpsampleOptions): tf.SymbolicTensor {
  const { factor, mode, name } = options;
  const label = `upsample '${name}'`;
  assertImageTensor(x, label);
  checkPositiveInt(factor, `${label}: factor`);
  if (mode === 'nearest' || mode === 'bilinear') {
    return tf.layers.upSampling2d({ size: [factor, factor], interpolation: mode, name }).apply(x) as tf.SymbolicTensor;
  }
  if (mode !== 'transposed') {
    throw new Error(`${label}: mode must be 'nearest', 'bilinear' or 'transposed', got '${String(mode)}'`);
  }
  const filters = options.filters ?? channelsOf(x, label);
  const kernelSize = options.kernelSize ?? factor;
  checkPositiveInt(filters, `${label}: filters`);
  checkPositiveInt(kernelSize, `${label}: kernelSize`);
  return tf.layers
    .conv2dTranspose({
      filters,
      kernelSize,
      strides: factor,
      padding: 'same',
      kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(options.seed, name) }),
      name,
    })
    .apply(x) as tf.SymbolicTensor;
}

const OUT_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu'] as const;

/** Options of {@link encoderDecoder}. */
export interface EncoderDecoderOptions {
  /** Channels per level, finest first; the last is the bottleneck. n levels halve resolution n − 1 times. */
  filters: number[];
  /** Concatenate each encoder level's features into the decoder at the same resolution (U-Net). */
  skips: boolean;
  /** How the decoder doubles resolution. */
  upsample: UpsampleMode;
  /** Channels of the output (a 1×1 convolution with bias). */
  outChannels: number;
  /** Activation of the output (default `'linear'`; `'sigmoid'`/`'tanh'` for images in [0,1]/[−1,1]). */
  outActivation?: (typeof OUT_ACTIVATIONS)[number];
  /** Activation inside the conv-BN units (default `'relu'`). */
  activation?: BlockActivation;
  /**
   * Layer-name prefix: `<name>_enc<i>_<j>`, `<name>_down<i>`, `<name>_up<i>`, `<name>_skip<i>`,
   * `<name>_dec<i>_<j>`, `<name>_out`.
   */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
}

/**
 * Encoder: at each level two conv3×3-BN-activation units, then 2×2 max-pool (not after the bottleneck).
 * Decoder: per level, upsample ×2, concatenate the encoder features of that resolution when `skips`, two
 * conv3×3-BN-activation units. A 1×1 convolution maps to `outChannels`. Height and width must be
 * divisible by 2^(levels − 1); the output has the input's height and width.
 */
export function encoderDecoder(x: tf.SymbolicTensor, options: EncoderDecoderOptions): tf.SymbolicTensor {
  const { filters, skips, outChannels, outActivation = 'linear', activation = 'relu', seed, name } = options;
  const label = `encoderDecoder '${name}'`;
  assertImageTensor(x, label);
  if (!Array.isArray(filters) || filters.length === 0) throw new Error(`${label}: filters must be a non-empty array`);
  filters.forEach((f, i) => checkPositiveInt(f, `${label}: filters[${i}]`));
  checkPositiveInt(outChannels, `${label}: outChannels`);
  if (!OUT_ACTIVATIONS.includes(outActivation)) {
    throw new Error(
      `${label}: outActivation must be one of ${OUT_ACTIVATIONS.join(', ')}, got '${String(outActivation)}'`,
    );
  }
  const scale = 2 ** (filters.length - 1);
  for (const [axis, d] of [
    ['height', x.shape[1]],
    ['width', x.shape[2]],
  ] as const) {
    if (d != null && d % scale !== 0) {
      throw new Error(
        `${label}: input ${axis} ${d} must be divisible by ${scale} (2^(levels − 1) for ${filters.length} levels)`,
      );
    }
  }
  const doubleConv = (input: tf.SymbolicTensor, f: number, prefix: string) =>
    convBnAct(convBnAct(input, { filters: f, activation, seed, name: `${prefix}_1` }), {
      filters: f,
      activation,
      seed,
      name: `${prefix}_2`,
    });

  const encoded: tf.SymbolicTensor[] = [];
  let y = x;
  filters.forEach((f, i) => {
    if (i > 0)
      y = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${name}_down${i}` }).apply(y) as tf.SymbolicTensor;
    y = doubleConv(y, f, `${name}_enc${i + 1}`);
    encoded.push(y);
  });
  for (let i = filters.length - 2; i >= 0; i--) {
    y = upsample(y, {
      factor: 2,
      mode: options.upsample,
      filters: filters[i],
      kernelSize: 2,
      seed,
      name: `${name}_up${i + 1}`,
    });
    if (skips)
      y = tf.layers
        .concatenate({ axis: -1, name: `${name}_skip${i + 1}` })
        .apply([encoded[i]!, y]) as tf.SymbolicTensor;
    y = doubleConv(y, filters[i]!, `${name}_dec${i + 1}`);
  }
  const kernelInitializer = tf.initializers.glorotUniform({ seed: layerSeed(seed, `${name}_out`) });
  const out = tf.layers
    .conv2d({ filters: outChannels, kernelSize: 1, kernelInitializer, name: `${name}_out` })
    .apply(y) as tf.SymbolicTensor;
  if (outActivation === 'linear') return out;
  return tf.layers
    .activation({ activation: outActivation, name: `${name}_out_${outActivation}` })
    .apply(out) as tf.SymbolicTensor;
}
