/**
 * The shared RoCGAN decoder (Sec. 3.1, App. B; reference `gen_models/decoder_cnn.py`): a transposed conv 4×4
 * stride 4 (1×1 → 4×4), then transposed convs 4×4 stride 2 pad 1 doubling the size, channels mirroring the
 * encoder; batch norm + leaky ReLU on all but the last layer, tanh output in [−1, 1].
 */
import { FusedBatchNorm, tf } from '@facelab/core-tensor';
import { layerSeed } from '@facelab/runtime';
import type { ResolvedArchitecture } from './options.js';

/**
 * Builds the decoder named `name`. Inputs: the latent [N, 1, 1, C_L]; with `a.skips`, also the encoder's skip
 * features deepest first: decoder layer l ≥ 2 reads concat(skip, h) as the reference's `skip_enc`.
 */
export function createDecoder(a: ResolvedArchitecture, name = 'dec'): tf.LayersModel {
  const L = a.channels.length;
  const latent = tf.input({ shape: [1, 1, a.channels[L - 1]!], name: `${name}_latent` });
  const skipInputs = a.skips
    ? a.channels
        .slice(0, L - 1)
        .reverse()
        .map((c, i) => {
          const size = 4 * 2 ** i;
          return tf.input({ shape: [size, size, c], name: `${name}_skip${i + 1}` });
        })
    : [];
  // Output channels per layer: the encoder's in reverse (without the latent), then the image channels.
  const outChannels = [...a.channels.slice(0, L - 1).reverse(), a.imageChannels];
  let h: tf.SymbolicTensor = latent;
  outChannels.forEach((filters, i) => {
    if (i > 0 && a.skips) {
      h = tf.layers.concatenate({ axis: -1, name: `${name}_concat${i + 1}` }).apply([skipInputs[i - 1]!, h]) as tf.SymbolicTensor;
    }
    const layer = `${name}_tconv${i + 1}`;
    h = tf.layers
      .conv2dTranspose({
        filters,
        kernelSize: 4,
        strides: i === 0 ? 4 : 2,
        padding: i === 0 ? 'valid' : 'same', // k4 s2 'same' = pad 1 on each side (output 2× the input)
        kernelInitializer: tf.initializers.leCunNormal({ seed: layerSeed(a.seed, layer) }),
        name: layer,
      })
      .apply(h) as tf.SymbolicTensor;
    if (i < L - 1) {
      h = new FusedBatchNorm({ momentum: a.bnMomentum, epsilon: a.bnEpsilon, name: `${name}_bn${i + 1}` }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.leakyReLU({ alpha: a.leakySlope, name: `${name}_act${i + 1}` }).apply(h) as tf.SymbolicTensor;
    } else {
      h = tf.layers.activation({ activation: 'tanh', name: `${name}_tanh` }).apply(h) as tf.SymbolicTensor;
    }
  });
  return tf.model({ inputs: [latent, ...skipInputs], outputs: h, name });
}
