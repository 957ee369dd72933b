/** VGG convolution stacks (Simonyan & Zisserman 2015), the layout of AffWildNet's VGG-16 variant. */
import { tf } from '../tf.js';
import { assertImageTensor } from './checks.js';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';

/** Options of {@link vggStack}. */
export interface VggStackOptions {
  /** Filters of each convolution, grouped by block ({@link VGG16_BLOCKS} for VGG-16). */
  blocks: readonly (readonly number[])[];
  /** Padding of the 2×2 max-pool after each block (default `'same'`: odd sizes round up). */
  poolPadding?: 'same' | 'valid';
  /** Layer-name prefix: `<name>_b<i>_conv<j>`, `<name>_b<i>_pool`. */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
}

/** The convolution blocks of VGG-16, for {@link vggStack}. */
export const VGG16_BLOCKS: readonly (readonly number[])[] = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
];

/** Blocks of conv3×3 SAME (with bias) + ReLU, each block followed by a 2×2/2 max-pool. */
export function vggStack(x: tf.SymbolicTensor, options: VggStackOptions): tf.SymbolicTensor {
  const { blocks, poolPadding = 'same', name } = options;
  assertImageTensor(x, `vggStack '${name}'`);
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new Error(`vggStack '${name}': blocks must be a non-empty array of filter lists`);
  }
  if (poolPadding !== 'same' && poolPadding !== 'valid') {
    throw new Error(`vggStack '${name}': poolPadding must be 'same' or 'valid', got '${String(poolPadding)}'`);
  }
  let y = x;
  blocks.forEach((convs, i) => {
    if (!Array.isArray(convs) || convs.length === 0) {
      throw new Error(`vggStack '${name}': blocks[${i}] must be a non-empty array of filter counts`);
    }
    convs.forEach((filters, j) => {
      checkPositiveInt(filters, `vggStack '${name}': blocks[${i}][${j}]`);
      const layer = `${name}_b${i + 1}_conv${j + 1}`;
      const kernelInitializer = tf.initializers.glorotUniform({ seed: layerSeed(options.seed, layer) });
      y = tf.layers
        .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer, name: layer })
        .apply(y) as tf.SymbolicTensor;
    });
    y = tf.layers
      .maxPooling2d({ poolSize: 2, strides: 2, padding: poolPadding, name: `${name}_b${i + 1}_pool` })
      .apply(y) as tf.SymbolicTensor;
  });
  return y;
}
