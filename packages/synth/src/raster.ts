/**
 * Rasterising primitives: signed distances (negative inside) turned into anti-aliased coverage, and filled
 * image-space shapes used for background clutter and occluders.
 */
import type { Rgb } from './identity.js';

/** Anti-aliased coverage of a pixel whose centre is `sd` from an edge, for pixels `px` wide (same units). */
export function coverage(sd: number, px: number): number {
  const c = 0.5 - sd / px;
  return c <= 0 ? 0 : c >= 1 ? 1 : c;
}

/** Approximate signed distance from (x, y) to an axis-aligned ellipse with half-axes a, b at the origin. */
export function ellipseDistance(x: number, y: number, a: number, b: number): number {
  const gx = x / (a * a);
  const gy = y / (b * b);
  const g = 2 * Math.sqrt(gx * gx + gy * gy);
  const f = (x * x) / (a * a) + (y * y) / (b * b) - 1;
  return g < 1e-9 ? -Math.min(a, b) : f / g;
}

/** Exact signed distance from (x, y) to an axis-aligned box with half-sizes a, b and corner radius r. */
export function boxDistance(x: number, y: number, a: number, b: number, r = 0): number {
  const qx = Math.abs(x) - a + r;
  const qy = Math.abs(y) - b + r;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance from (x, y) to the segment (x0, y0)–(x1, y1). */
export function segmentDistance(x: number, y: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2)) : 0;
  return Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
}

/** A filled image-space shape (pixel units): a rotated box, an ellipse, or a thick segment. */
export interface Shape {
  kind: 'box' | 'ellipse' | 'line';
  /** Centre (box, ellipse) or first end point (line). */
  x: number;
  y: number;
  /** Half-sizes (box, ellipse); for a line, the second end point. */
  a: number;
  b: number;
  /** Rotation in radians (box, ellipse); half-thickness for a line. */
  angle: number;
  color: Rgb;
  /** Opacity in [0, 1]. */
  alpha: number;
  /** Edge softness in pixels (1 = crisp anti-aliasing). */
  soft: number;
  /** Stripe period in pixels (0 = flat); stripes darken every other band. */
  stripes: number;
}

function shapeDistance(s: Shape, px: number, py: number): number {
  if (s.kind === 'line') return segmentDistance(px, py, s.x, s.y, s.a, s.b) - s.angle;
  const c = Math.cos(s.angle);
  const sn = Math.sin(s.angle);
  const dx = px - s.x;
  const dy = py - s.y;
  const lx = c * dx + sn * dy;
  const ly = -sn * dx + c * dy;
  return s.kind === 'box' ? boxDistance(lx, ly, s.a, s.b) : ellipseDistance(lx, ly, s.a, s.b);
}

function shapeBounds(s: Shape): [number, number, number, number] {
  if (s.kind === 'line') {
    const m = s.angle + s.soft;
    return [Math.min(s.x, s.a) - m, Math.min(s.y, s.b) - m, Math.max(s.x, s.a) + m, Math.max(s.y, s.b) + m];
  }
  const r = Math.max(s.a, s.b) + s.soft;
  return [s.x - r, s.y - r, s.x + r, s.y + r];
}

/**
 * Composites `shapes` in order over the RGB image `rgb` (n×n, HWC, floats). Where `mask` is given, pixels that
 * a shape covers at least half are set to 1 in it.
 */
export function drawShapes(rgb: Float32Array, n: number, shapes: readonly Shape[], mask?: Uint8Array): void {
  for (const s of shapes) {
    const [x0, y0, x1, y1] = shapeBounds(s);
    const ya = Math.max(0, Math.floor(y0));
    const yb = Math.min(n - 1, Math.ceil(y1));
    const xa = Math.max(0, Math.floor(x0));
    const xb = Math.min(n - 1, Math.ceil(x1));
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const cov = coverage(shapeDistance(s, x, y), s.soft);
        if (cov <= 0) continue;
        if (mask && cov >= 0.5) mask[y * n + x] = 1;
        const band = s.stripes > 0 && Math.floor((x + y) / s.stripes) % 2 === 0 ? 0.7 : 1;
        const al = cov * s.alpha;
        const k = 3 * (y * n + x);
        rgb[k] = rgb[k] + (s.color[0] * band - rgb[k]) * al;
        rgb[k + 1] = rgb[k + 1] + (s.color[1] * band - rgb[k + 1]) * al;
        rgb[k + 2] = rgb[k + 2] + (s.color[2] * band - rgb[k + 2]) * al;
      }
    }
  }
}
