/**
 * The RoCGAN encoder (Sec. 3.1, App. B; reference `enc_models/encoder_cnn.py`): L−1 convs 4×4 stride 2 pad 1
 * with batch norm, then a conv 4×4 stride 4 down to 1×1 without batch norm; leaky ReLU after every layer,
 * the last included. Used for both the regression pathway `enc` (x → latent) and the autoencoder pathway
 * `encAe` (y → latent).
 */
import { FusedBatchNorm, tf } from '@facelab/core-tensor';
import { layerSeed } from '@facelab/runtime';
import type { ResolvedArchitecture } from './options.js';

/**
 * Builds an encoder named `name`. Outputs: the latent [N, 1, 1, C_L]; with `a.skips`, also each earlier
 * layer's activation, deepest first (the order the decoder consumes them).
 */
export function createEncoder(a: ResolvedArchitecture, name: string): tf.LayersModel {
  const input = tf.input({ shape: [a.imageSize, a.imageSize, a.imageChannels], name: `${name}_input` });
  let h: tf.SymbolicTensor = input;
  const skips: tf.SymbolicTensor[] = [];
  const last = a.channels.length - 1;
  a.channels.forEach((filters, i) => {
    const layer = `${name}_conv${i + 1}`;
    h = tf.layers
      .conv2d({
        filters,
        kernelSize: 4,
        strides: i === last ? 4 : 2,
        padding: i === last ? 'valid' : 'same', // 'same' on even sizes with k4 s2 pads 1 on each side
        kernelInitializer: tf.initializers.leCunNormal({ seed: layerSeed(a.seed, layer) }),
        name: layer,
      })
      .apply(h) as tf.SymbolicTensor;
    if (i < last) {
      h = new FusedBatchNorm({ momentum: a.bnMomentum, epsilon: a.bnEpsilon, name: `${name}_bn${i + 1}` }).apply(h) as tf.SymbolicTensor;
    }
    h = tf.layers.leakyReLU({ alpha: a.leakySlope, name: `${name}_act${i + 1}` }).apply(h) as tf.SymbolicTensor;
    if (i < last) skips.push(h);
  });
  return tf.model({ inputs: input, outputs: a.skips ? [h, ...skips.reverse()] : h, name });
}
