/** Landmark localisation error: NME normalised by the inter-ocular distance. */
import { toDense, type MetricInput } from './input.js';

/** 0-based indices of the outer eye corners in the iBUG 68-point scheme (points 37 and 46, 1-based). */
export const IBUG68_OUTER_EYE_CORNERS = [36, 45] as const;

function toLandmarks(x: MetricInput, name: string): { data: Float64Array; images: number } {
  const { data, shape } = toDense(x, name);
  const ok = (shape.length === 2 || shape.length === 3) && shape.at(-2) === 68 && shape.at(-1) === 2;
  if (!ok) throw new Error(`${name}: expected iBUG 68-point landmarks [68, 2] or [N, 68, 2], got [${shape}]`);
  return { data, images: shape.length === 3 ? shape[0] : 1 };
}

/**
 * Normalised mean error of 68-point landmarks: per image, the mean over the 68 points of the Euclidean
 * distance between predicted and true (x, y), divided by the inter-ocular distance, i.e. the distance
 * between the true outer eye corners (iBUG points 37 and 46, 1-based; indices 36 and 45); then the mean
 * over images. Inputs are [68, 2] or [N, 68, 2] in the same pixel units.
 */
export function nme(pred: MetricInput, gt: MetricInput): number {
  const p = toLandmarks(pred, 'pred');
  const g = toLandmarks(gt, 'gt');
  if (p.images !== g.images) throw new Error(`pred has ${p.images} image(s) but gt has ${g.images}`);
  const [l, r] = IBUG68_OUTER_EYE_CORNERS;
  let total = 0;
  for (let n = 0; n < g.images; n++) {
    const o = n * 68 * 2;
    const iod = Math.hypot(g.data[o + 2 * l] - g.data[o + 2 * r], g.data[o + 2 * l + 1] - g.data[o + 2 * r + 1]);
    if (iod === 0) throw new Error(`gt image ${n}: outer eye corners coincide (inter-ocular distance 0)`);
    let err = 0;
    for (let k = 0; k < 68; k++) {
      err += Math.hypot(p.data[o + 2 * k] - g.data[o + 2 * k], p.data[o + 2 * k + 1] - g.data[o + 2 * k + 1]);
    }
    total += err / 68 / iod;
  }
  return total / g.images;
}
