/**
 * The canonical → image warp of a face: approximate yaw by a Möbius foreshortening of the horizontal axis
 * (one half of the face compresses, the other widens, the midline shifts), then a similarity transform.
 * Both directions are closed-form, so the UV map is the exact inverse of the warp that places the landmarks.
 */

/** Head pose and placement. */
export interface Pose {
  /** In-plane rotation in radians (positive turns clockwise in the image, y down). */
  rotation: number;
  /** Scale; 1 makes the head about 0.8 of the image tall. */
  scale: number;
  /** Horizontal offset of the face centre as a fraction of the image size. */
  tx: number;
  /** Vertical offset of the face centre as a fraction of the image size. */
  ty: number;
  /** Approximate yaw in radians, |yaw| < 1.2. */
  yaw: number;
}

/** The frontal, centred pose. */
export const FRONTAL_POSE: Pose = { rotation: 0, scale: 1, tx: 0, ty: 0, yaw: 0 };

/** Horizontal canonical radius the foreshortening maps onto itself; nothing is drawn beyond it. */
export const WARP_RADIUS = 1.6;

/** A pose evaluated for one image size: the numbers the per-pixel loop needs. */
export interface Warp {
  /** Image x, y of the canonical origin (pixel centres at integer coordinates). */
  cx: number;
  cy: number;
  /** Pixels per canonical unit. */
  ppu: number;
  cos: number;
  sin: number;
  /** Möbius coefficient of the yaw foreshortening. */
  a: number;
}

/** Evaluates `pose` for a square image of `size` pixels. */
export function poseWarp(pose: Pose, size: number): Warp {
  if (!(Math.abs(pose.yaw) < 1.2)) throw new Error(`pose.yaw must be in (-1.2, 1.2) rad, got ${pose.yaw}`);
  if (!(pose.scale > 0)) throw new Error(`pose.scale must be positive, got ${pose.scale}`);
  return {
    cx: (size - 1) / 2 + pose.tx * size,
    cy: (size - 1) / 2 + (pose.ty + 0.03) * size,
    ppu: pose.scale * size * 0.4,
    cos: Math.cos(pose.rotation),
    sin: Math.sin(pose.rotation),
    a: 0.5 * Math.sin(pose.yaw),
  };
}

/** Maps canonical (u, v) to image (x, y). */
export function warpToImage(w: Warp, u: number, v: number): [number, number] {
  const n = u / WARP_RADIUS;
  const x = (WARP_RADIUS * (n + w.a)) / (1 + w.a * n);
  return [w.cx + w.ppu * (w.cos * x - w.sin * v), w.cy + w.ppu * (w.sin * x + w.cos * v)];
}

/**
 * Maps image (x, y) back to canonical coordinates, writing [u, v, canonical size of one pixel] into `out`.
 * Returns false beyond the foreshortening's range (|x'| ≥ 0.98·WARP_RADIUS), where nothing is drawn.
 */
export function warpToCanonical(w: Warp, x: number, y: number, out: Float64Array): boolean {
  const dx = x - w.cx;
  const dy = y - w.cy;
  const n = (w.cos * dx + w.sin * dy) / (w.ppu * WARP_RADIUS);
  if (n <= -0.98 || n >= 0.98) return false;
  const den = 1 - w.a * n;
  out[0] = (WARP_RADIUS * (n - w.a)) / den;
  out[1] = (-w.sin * dx + w.cos * dy) / w.ppu;
  out[2] = Math.max(1, (1 - w.a * w.a) / (den * den)) / w.ppu;
  return true;
}
