/** What every augmentation model is: a pixel ↔ latent transformation with a linear latent model. */
import type { tf } from '@facelab/core-tensor';
import type { LatentLinear } from './latent-linear.js';

/** Image height, width and channels. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** A forward transformation E, its inverse D, and the latent model A; images are NHWC floats in [0, 1]. */
export interface AugmentModel {
  /** 'autoencoder' (learned E/D) or 'pca' (the exact linear baseline). */
  readonly kind: 'autoencoder' | 'pca';
  readonly imageShape: ImageShape;
  readonly latentDim: number;
  /** The latent model A (and b). */
  readonly dynamics: LatentLinear;
  /** E: images [N, H, W, C] → latents [N, d]. `training` only matters to learned models. */
  encode(images: tf.Tensor4D, training?: boolean): tf.Tensor2D;
  /** D: latents [N, d] → images [N, H, W, C]. */
  decode(latents: tf.Tensor2D, training?: boolean): tf.Tensor4D;
  /** Frees the model's weights. */
  dispose(): void;
}

/** Throws unless `images` is [N, H, W, C] with the model's image shape. */
export function checkImages(model: AugmentModel, images: tf.Tensor, what: string): void {
  const [h, w, c] = model.imageShape;
  const s = images.shape;
  if (s.length !== 4 || s[1] !== h || s[2] !== w || s[3] !== c) {
    throw new Error(`${what}: images must be [N, ${h}, ${w}, ${c}] for this model, got [${s.join(', ')}]`);
  }
  if (s[0] === 0) throw new Error(`${what}: no images`);
}
