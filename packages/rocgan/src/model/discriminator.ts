/**
 * The RoCGAN discriminator (App. B; reference `dis_models/cnn_dis_custom.py` with `layer_d [3, 64, 64, 64, 4096]`,
 * `use_bn`, no spectral norm): batch norm with scale only before convs 1 and 2 (the input image included),
 * conv 4×4 stride 2 pad 1 + ReLU twice, a third conv without activation whose flattened output are the
 * features f_D (64·8·8 = 4096 at 64×64), and a linear layer to one logit.
 */
import { FusedBatchNorm, tf } from '@facelab/core-tensor';
import { layerSeed } from '@facelab/runtime';
import type { ResolvedArchitecture } from './options.js';

/** Builds the discriminator: image [N, S, S, C] → [logit [N, 1], features [N, F]]. */
export function createDiscriminator(a: ResolvedArchitecture, name = 'dis'): tf.LayersModel {
  const input = tf.input({ shape: [a.imageSize, a.imageSize, a.imageChannels], name: `${name}_input` });
  let h: tf.SymbolicTensor = input;
  const glorot = (layer: string) => tf.initializers.glorotUniform({ seed: layerSeed(a.seed, layer) });
  a.discriminatorChannels.forEach((filters, i) => {
    if (i < 2) {
      h = new FusedBatchNorm({ center: false, momentum: a.bnMomentum, epsilon: a.bnEpsilon, name: `${name}_bn${i + 1}` }).apply(
        h,
      ) as tf.SymbolicTensor;
    }
    const layer = `${name}_conv${i + 1}`;
    h = tf.layers
      .conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: glorot(layer), name: layer })
      .apply(h) as tf.SymbolicTensor;
    if (i < 2) h = tf.layers.reLU({ name: `${name}_relu${i + 1}` }).apply(h) as tf.SymbolicTensor;
  });
  const features = tf.layers.flatten({ name: `${name}_features` }).apply(h) as tf.SymbolicTensor;
  const logit = tf.layers
    .dense({ units: 1, kernelInitializer: glorot(`${name}_linear`), name: `${name}_linear` })
    .apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [logit, features], name });
}
