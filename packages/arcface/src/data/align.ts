/** Face alignment to ArcFace's 5-point template by a least-squares similarity transform (core-tensor's warp). */
import { estimateSimilarity, warpAffine, type Affine2x3 } from '@facelab/data';
import { tf } from '@facelab/core-tensor';

/**
 * insightface's 5-point template for 112×112 crops: left eye, right eye, nose tip, left and right mouth
 * corners (x, y in pixels; "left" is the subject's right, i.e. the image's left).
 */
export const ARCFACE_TEMPLATE_112: readonly (readonly [number, number])[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** An aligned crop and the source → crop similarity that made it. */
export interface AlignedFace {
  image: tf.Tensor3D;
  matrix: Affine2x3;
}

/**
 * Warps `image` [H, W, C] so that its five landmarks `fivePoints` (in the order of
 * {@link ARCFACE_TEMPLATE_112}) land as close as possible (least squares) on the template scaled to
 * `size` × `size`. Bilinear sampling, zero outside the source.
 */
export function alignFace(image: tf.Tensor3D, fivePoints: readonly (readonly number[])[], size = 112): AlignedFace {
  if (image.rank !== 3) throw new Error(`alignFace: image must be [height, width, channels], got [${image.shape}]`);
  if (fivePoints.length !== 5 || !fivePoints.every((p) => p.length === 2 && p.every(Number.isFinite))) {
    throw new Error(`alignFace: fivePoints must be 5 finite [x, y] pairs, got ${JSON.stringify(fivePoints)}`);
  }
  if (!Number.isInteger(size) || size < 8) throw new Error(`alignFace: size must be an integer ≥ 8, got ${size}`);
  const scale = size / 112;
  const template = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * scale, y * scale] as [number, number]);
  const matrix = estimateSimilarity(
    fivePoints.map((p) => [p[0]!, p[1]!] as [number, number]),
    template,
  );
  return { image: warpAffine(image, matrix, { size: { width: size, height: size } }), matrix };
}
