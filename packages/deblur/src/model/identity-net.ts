/**
 * The identity stream: a face embedding network. In our reading of v1 (Sec. 3), it is an IR-ResNet from
 * @facelab/arcface trained for identity with the ArcFace loss on sharp faces and then frozen; the deblurring
 * stream is trained to make the embedding of its output match that of the sharp face. A small IR-ResNet by default
 * (IRESNET_SMALL's widths, one unit per stage); any arcface `iresnet` (or a model saved by `facelab-arcface train`)
 * works, since they take RGB pixels in [0, 255] and give an unnormalised embedding.
 */
import { IRESNET_SMALL, iresnet, l2Normalize } from '@facelab/arcface';
import { tf } from '@facelab/core-tensor';

/** Options of {@link createIdentityNet}. */
export interface IdentityNetOptions {
  /** Square input size (default 32; divisible by 16). */
  imageSize?: number;
  /** Stem and stage channels (default IRESNET_SMALL's [16, 16, 32, 64, 128]). */
  widths?: number[];
  /** Units per stage (default [1, 1, 1, 1]). */
  units?: number[];
  /** Embedding dimension (default 64). */
  embeddingSize?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Model name (default 'identity'). */
  name?: string;
}

/** A small arcface IR-ResNet: input [N, s, s, 3] pixels in [0, 255], output [N, embeddingSize]. */
export function createIdentityNet(options: IdentityNetOptions = {}): tf.LayersModel {
  return iresnet({
    units: options.units ?? IRESNET_SMALL.units,
    widths: options.widths ?? IRESNET_SMALL.widths,
    inputSize: options.imageSize ?? 32,
    embeddingSize: options.embeddingSize ?? IRESNET_SMALL.embeddingSize,
    seed: options.seed ?? 0,
    name: options.name ?? 'identity',
  });
}

/**
 * L2-normalised embeddings of images in [0, 1] (scaled to [0, 255] for the network), run in inference mode (batch
 * norm with its moving statistics): gradients flow to the images, not into a frozen identity net's statistics.
 */
export function identityEmbedding(net: tf.LayersModel, images: tf.Tensor4D): tf.Tensor2D {
  const want = net.inputs[0]!.shape;
  if (images.shape[1] !== want[1] || images.shape[2] !== want[2] || images.shape[3] !== want[3]) {
    throw new Error(`identity net: images have shape [${images.shape}], it expects [N, ${want.slice(1).join(', ')}]`);
  }
  return tf.tidy(() => l2Normalize(net.apply(tf.mul(images, 255), { training: false }) as tf.Tensor2D, 1));
}
