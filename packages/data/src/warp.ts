/**
 * Geometric transforms for face alignment: warp an image by a 2×3 affine matrix and fit the similarity
 * (rotation, uniform scale, translation) that best maps one landmark set onto another.
 */
import { tf } from '@facelab/core-tensor';
import type { ImageSize } from './raster.js';
import type { Point2 } from './pts.js';

/** A 2×3 affine matrix `[[a, b, tx], [c, d, ty]]` mapping a source point (x, y) to (a·x + b·y + tx, c·x + d·y + ty). */
export type Affine2x3 = [[number, number, number], [number, number, number]];

/** Options of {@link warpAffine}. */
export interface WarpAffineOptions {
  /** Output size (default: the input's). */
  size?: ImageSize;
  /** Outside the source: a constant (default) or the nearest edge pixel. */
  border?: 'constant' | 'replicate';
  /** The constant for `border: 'constant'`, in the image's scale (default 0). */
  value?: number;
}

/** The inverse of an affine map; an error if it is singular. */
export function invertAffine(m: Affine2x3): Affine2x3 {
  const [[a, b, tx], [c, d, ty]] = m;
  const det = a * d - b * c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error(`invertAffine: singular matrix (det ${det})`);
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  return [
    [ia, ib, -(ia * tx + ib * ty)],
    [ic, id, -(ic * tx + id * ty)],
  ];
}

/**
 * Warps an image (Tensor3D, or a batch Tensor4D) by `matrix` (source → destination, OpenCV's convention) with
 * bilinear interpolation by inverse mapping: each output pixel centre (integer x, y) samples the source at
 * matrix⁻¹·(x, y). int32 images come back rounded to int32.
 */
export function warpAffine<T extends tf.Tensor3D | tf.Tensor4D>(image: T, matrix: Affine2x3, options: WarpAffineOptions = {}): T {
  if (image.rank !== 3 && image.rank !== 4) throw new Error(`warpAffine: expected [h, w, c] or [n, h, w, c], got [${image.shape}]`);
  const [[a0, a1, a2], [b0, b1, b2]] = invertAffine(matrix);
  const h = options.size?.height ?? image.shape[image.rank - 3]!;
  const w = options.size?.width ?? image.shape[image.rank - 2]!;
  const fill = options.border === 'replicate' ? 'nearest' : 'constant';
  return tf.tidy(() => {
    const batch = (image.rank === 4 ? image : image.expandDims(0)) as tf.Tensor4D;
    const transform = tf.tensor2d([[a0, a1, a2, b0, b1, b2, 0, 0]]);
    const warp = (x: tf.Tensor4D): tf.Tensor4D =>
      tf.image.transform(x.toFloat(), transform, 'bilinear', fill, options.value ?? 0, [h, w]);
    // tfjs 4.22's cpu Transform kernel returns after the first image of a batch: warp images one by one there.
    const out =
      batch.shape[0] > 1 && tf.getBackend() === 'cpu'
        ? tf.concat(tf.split(batch, batch.shape[0]).map((x) => warp(x as tf.Tensor4D)))
        : warp(batch);
    const typed = image.dtype === 'int32' ? out.round().toInt() : out;
    return (image.rank === 4 ? typed : typed.squeeze([0])) as T;
  });
}

/**
 * The least-squares similarity transform (Umeyama 1991, no reflection) mapping `src` points onto `dst`:
 * minimises Σ‖s·R·srcᵢ + t − dstᵢ‖². In 2-D the SVD solution reduces to the closed form used here.
 */
export function estimateSimilarity(src: readonly Point2[], dst: readonly Point2[]): Affine2x3 {
  if (src.length !== dst.length) throw new Error(`estimateSimilarity: ${src.length} source vs ${dst.length} target points`);
  if (src.length < 2) throw new Error(`estimateSimilarity: need at least 2 point pairs, got ${src.length}`);
  const n = src.length;
  const mean = (pts: readonly Point2[]): Point2 => {
    let x = 0;
    let y = 0;
    for (const p of pts) {
      x += p[0];
      y += p[1];
    }
    return [x / n, y / n];
  };
  const [sx, sy] = mean(src);
  const [dx, dy] = mean(dst);
  let dot = 0; // Σ (u·u' + v·v')
  let cross = 0; // Σ (u·v' − v·u')
  let varSrc = 0;
  for (let i = 0; i < n; i++) {
    const u = src[i]![0] - sx;
    const v = src[i]![1] - sy;
    const u2 = dst[i]![0] - dx;
    const v2 = dst[i]![1] - dy;
    dot += u * u2 + v * v2;
    cross += u * v2 - v * u2;
    varSrc += u * u + v * v;
  }
  if (!(varSrc > 0)) throw new Error('estimateSimilarity: the source points all coincide');
  // s·cosθ and s·sinθ of the optimal rotation/scale.
  const a = dot / varSrc;
  const b = cross / varSrc;
  return [
    [a, -b, dx - (a * sx - b * sy)],
    [b, a, dy - (b * sx + a * sy)],
  ];
}

/** Applies an affine matrix to points. */
export function transformPoints(matrix: Affine2x3, points: readonly Point2[]): Point2[] {
  const [[a, b, tx], [c, d, ty]] = matrix;
  return points.map(([x, y]) => [a * x + b * y + tx, c * x + d * y + ty]);
}
