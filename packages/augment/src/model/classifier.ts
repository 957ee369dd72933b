/**
 * The downstream model of the evaluation: a small identity classifier (three conv3×3 + ReLU + max-pool
 * blocks, dense 64 + ReLU, dense logits), seeded He-normal init, no batch norm.
 */
import { tf } from '@facelab/core-tensor';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';
import type { ImageShape } from './types.js';

/** Options of {@link createIdentityClassifier}. */
export interface IdentityClassifierOptions {
  imageShape: ImageShape;
  classes: number;
  /** Channels of the three blocks (default [16, 32, 32]). */
  filters?: number[];
  seed?: number;
}

/** Images [N, H, W, C] → logits [N, classes]. */
export function createIdentityClassifier(options: IdentityClassifierOptions): tf.LayersModel {
  checkPositiveInt(options.classes, 'classes');
  const seed = options.seed ?? 1;
  const input = tf.input({ shape: [...options.imageShape], name: 'face' });
  let x: tf.SymbolicTensor = input;
  for (const [i, filters] of (options.filters ?? [16, 32, 32]).entries()) {
    const name = `cls_conv${i + 1}`;
    x = tf.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, name) }), name })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `cls_pool${i + 1}` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten({ name: 'cls_flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, 'cls_fc') }), name: 'cls_fc' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: options.classes, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'cls_logits') }), name: 'cls_logits' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'identity_classifier' });
}
