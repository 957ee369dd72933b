/**
 * The learned transformation: a convolutional encoder E (stride-2 conv3×3 + ReLU per level, then a dense
 * layer to the latents) and a mirrored decoder D (dense, reshape, then nearest ×2 upsampling + conv3×3 + ReLU
 * per level, a conv3×3 to the image channels and a sigmoid), with the latent model A between them.
 * No batch norm: E must map a frame to the same latent whatever batch it is in, since the transition term
 * compares latents of x_t and x_{t+1}.
 */
import { tf, upsample } from '@facelab/core-tensor';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';
import { createLatentLinear, type LatentLinear } from './latent-linear.js';
import type { AugmentModel, ImageShape } from './types.js';

/** Options of {@link createAugmentAutoencoder}. */
export interface AugmentAutoencoderOptions {
  /** Input height, width, channels; height and width divisible by 2^levels. */
  imageShape: ImageShape;
  /** Latent dimension d (default 32). */
  latentDim?: number;
  /** Channels per encoder level, finest first (default [16, 32, 32]); the decoder mirrors them. */
  filters?: number[];
  /** Learn the latent offset b (default true). */
  bias?: boolean;
  /** Seed of every initialiser (default 1). */
  seed?: number;
}

/** An {@link AugmentModel} with its two networks exposed for training and saving. */
export interface AugmentAutoencoder extends AugmentModel {
  readonly kind: 'autoencoder';
  readonly encoder: tf.LayersModel;
  readonly decoder: tf.LayersModel;
}

const conv = (filters: number, strides: number, activation: 'relu' | 'sigmoid', seed: number, name: string) =>
  tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation, kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, name) }), name });

/** Builds E, D and A (A = I, b = 0), seeded. */
export function createAugmentAutoencoder(options: AugmentAutoencoderOptions): AugmentAutoencoder {
  const [h, w, c] = options.imageShape;
  [h, w, c].forEach((v, i) => checkPositiveInt(v, `imageShape[${i}]`));
  const d = options.latentDim ?? 32;
  checkPositiveInt(d, 'latentDim');
  const filters = options.filters ?? [16, 32, 32];
  if (filters.length === 0) throw new Error('filters must list at least one level');
  filters.forEach((f, i) => checkPositiveInt(f, `filters[${i}]`));
  const scale = 2 ** filters.length;
  if (h % scale !== 0 || w % scale !== 0) {
    throw new Error(`imageShape ${h}×${w} must be divisible by ${scale} (2^levels for ${filters.length} levels)`);
  }
  const seed = options.seed ?? 1;

  const input = tf.input({ shape: [h, w, c], name: 'image' });
  let x: tf.SymbolicTensor = input;
  filters.forEach((f, i) => (x = conv(f, 2, 'relu', seed, `enc${i + 1}`).apply(x) as tf.SymbolicTensor));
  x = tf.layers.flatten({ name: 'enc_flatten' }).apply(x) as tf.SymbolicTensor;
  const z = tf.layers
    .dense({ units: d, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'enc_latent') }), name: 'enc_latent' })
    .apply(x) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: input, outputs: z, name: 'augment_encoder' });

  const [gh, gw, gf] = [h / scale, w / scale, filters[filters.length - 1]!];
  const latent = tf.input({ shape: [d], name: 'latent' });
  let y = tf.layers
    .dense({ units: gh * gw * gf, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, 'dec_dense') }), name: 'dec_dense' })
    .apply(latent) as tf.SymbolicTensor;
  y = tf.layers.reshape({ targetShape: [gh, gw, gf], name: 'dec_reshape' }).apply(y) as tf.SymbolicTensor;
  for (let i = filters.length - 1; i >= 0; i--) {
    y = upsample(y, { factor: 2, mode: 'nearest', name: `dec_up${i + 1}` });
    y = conv(filters[i]!, 1, 'relu', seed, `dec${i + 1}`).apply(y) as tf.SymbolicTensor;
  }
  const out = conv(c, 1, 'sigmoid', seed, 'dec_out').apply(y) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: latent, outputs: out, name: 'augment_decoder' });

  return wrapAutoencoder(encoder, decoder, createLatentLinear({ latentDim: d, bias: options.bias }));
}

/** An {@link AugmentAutoencoder} from its three parts (a built or loaded encoder, decoder and latent model). */
export function wrapAutoencoder(encoder: tf.LayersModel, decoder: tf.LayersModel, dynamics: LatentLinear): AugmentAutoencoder {
  const [, h, w, c] = encoder.inputs[0]!.shape as number[];
  const d = dynamics.latentDim;
  if (encoder.outputs[0]!.shape[1] !== d || decoder.inputs[0]!.shape[1] !== d) {
    throw new Error(`autoencoder: encoder output [${encoder.outputs[0]!.shape}] and decoder input [${decoder.inputs[0]!.shape}] must both have the latent dimension ${d}`);
  }
  return {
    kind: 'autoencoder',
    imageShape: [h!, w!, c!],
    latentDim: d,
    encoder,
    decoder,
    dynamics,
    encode: (images, training = false) => encoder.apply(images, { training }) as tf.Tensor2D,
    decode: (latents, training = false) => decoder.apply(latents, { training }) as tf.Tensor4D,
    dispose() {
      encoder.dispose();
      decoder.dispose();
      dynamics.dispose();
    },
  };
}
