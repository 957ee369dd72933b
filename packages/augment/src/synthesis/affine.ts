/**
 * Classic affine augmentation, the baseline the learned one is compared with: a random rotation, isotropic
 * scale and shift about the image centre per image, edge pixels replicated.
 */
import { tf } from '@facelab/core-tensor';
import { warpAffine, type Affine2x3 } from '@facelab/data';
import type { Rng } from '@facelab/runtime';

/** Ranges of {@link affineAugment} (defaults: ±10°, ×0.9–1.1, ±6 % of the size). */
export interface AffineAugmentOptions {
  maxRotationDeg?: number;
  maxScaleDelta?: number;
  maxShift?: number;
}

/** Source → destination matrix (warpAffine's convention) of a rotation θ and scale s about the centre, then a shift (dx, dy). */
export function centredSimilarity(width: number, height: number, theta: number, scale: number, dx: number, dy: number): Affine2x3 {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(theta) * scale;
  const sin = Math.sin(theta) * scale;
  // p_out = s·R(θ)·(p_in − c) + c + (dx, dy).
  return [
    [cos, -sin, cx + dx - cos * cx + sin * cy],
    [sin, cos, cy + dy - sin * cx - cos * cy],
  ];
}

/** A random similarity per image of `images` ([N, H, W, C]) → a new [N, H, W, C] tensor. */
export function affineAugment(images: tf.Tensor4D, rng: Rng, options: AffineAugmentOptions = {}): tf.Tensor4D {
  const [, h, w] = images.shape;
  const rot = ((options.maxRotationDeg ?? 10) * Math.PI) / 180;
  const ds = options.maxScaleDelta ?? 0.1;
  const shift = options.maxShift ?? 0.06;
  return tf.tidy(() => {
    const out = tf.unstack(images).map((img) => {
      const m = centredSimilarity(w, h, rng.uniform(-rot, rot), 1 + rng.uniform(-ds, ds), rng.uniform(-shift, shift) * w, rng.uniform(-shift, shift) * h);
      return warpAffine(img as tf.Tensor3D, m, { border: 'replicate' });
    });
    return tf.stack(out, 0) as tf.Tensor4D;
  });
}
