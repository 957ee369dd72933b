/** Face alignment to ArcFace's 5-point template by a least-squares similarity transform (@facelab/data's warp). */
import { estimateSimilarity, warpAffine, type Affine2x3 } from '@facelab/data';
import { tf } from '@facelab/core-tensor';

/**
 * insightface's 5-point template for 112×112 crops: left eye, right eye, nose tip, left and right mouth
 * corners (x, y in pixels; "left" is the subject's right, i.e. the image's left). insightface holds these in
 * float32; {@link arcfaceTemplate} does too.
 */
export const ARCFACE_TEMPLATE_112: readonly (readonly [number, number])[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * How the template is sized: `'insightface'` (estimate_norm: size/112 when size is a multiple of 112, else
 * size/128 and an x-shift of 8·ratio when it is a multiple of 128, on the template held in float32; other
 * sizes, which insightface rejects, scale by size/112) or `'scaled-112'` (size/112 for every size).
 */
export type TemplateScaling = 'insightface' | 'scaled-112';

/** The five template points for `size` × `size` crops (see {@link TemplateScaling}). */
export function arcfaceTemplate(size: number, scaling: TemplateScaling = 'insightface'): [number, number][] {
  if (!Number.isInteger(size) || size < 8) throw new Error(`arcfaceTemplate: size must be an integer ≥ 8, got ${size}`);
  if (scaling === 'scaled-112') return ARCFACE_TEMPLATE_112.map(([x, y]) => [(x * size) / 112, (y * size) / 112]);
  if (scaling !== 'insightface') throw new Error(`arcfaceTemplate: scaling must be 'insightface' or 'scaled-112', got '${scaling}'`);
  const by128 = size % 112 !== 0 && size % 128 === 0;
  const ratio = by128 ? size / 128 : size / 112;
  const shift = by128 ? 8 * ratio : 0;
  // float32 arithmetic, as numpy on insightface's float32 template: fround of exact products and sums.
  const f = Math.fround;
  return ARCFACE_TEMPLATE_112.map(([x, y]) => [f(f(f(x) * ratio) + shift), f(f(y) * ratio)]);
}

/** Options of {@link alignFace}. */
export interface AlignFaceOptions {
  /** How the template is sized (default 'insightface'). */
  templateScaling?: TemplateScaling;
}

/** An aligned crop and the source → crop similarity that made it. */
export interface AlignedFace {
  image: tf.Tensor3D;
  matrix: Affine2x3;
}

/**
 * Warps `image` [H, W, C] so that its five landmarks `fivePoints` (in the order of
 * {@link ARCFACE_TEMPLATE_112}) land as close as possible (least squares) on the template for `size` × `size`
 * crops ({@link arcfaceTemplate}). Bilinear sampling, zero outside the source.
 */
export function alignFace(
  image: tf.Tensor3D,
  fivePoints: readonly (readonly number[])[],
  size = 112,
  options: AlignFaceOptions = {},
): AlignedFace {
  if (image.rank !== 3) throw new Error(`alignFace: image must be [height, width, channels], got [${image.shape}]`);
  if (fivePoints.length !== 5 || !fivePoints.every((p) => p.length === 2 && p.every(Number.isFinite))) {
    throw new Error(`alignFace: fivePoints must be 5 finite [x, y] pairs, got ${JSON.stringify(fivePoints)}`);
  }
  if (!Number.isInteger(size) || size < 8) throw new Error(`alignFace: size must be an integer ≥ 8, got ${size}`);
  const template = arcfaceTemplate(size, options.templateScaling);
  const matrix = estimateSimilarity(
    fivePoints.map((p) => [p[0]!, p[1]!] as [number, number]),
    template,
  );
  return { image: warpAffine(image, matrix, { size: { width: size, height: size } }), matrix };
}
