/**
 * By-products of dense U-V (DenseReg, arXiv 1803.02188, landmark localisation and semantic part
 * segmentation from the correspondence): landmarks as the foreground pixel whose (û, v̂) is nearest to each
 * template landmark's (u, v) (background counts as +∞), and parts by reading a template part map at (û, v̂).
 * The template is estimated from training ground truth ({@link estimateLandmarkTemplate}); the paper's
 * comes from its 3D face model.
 */
import type { DenseRegSample } from '../data/sample.js';
import type { UVMaps } from './decode.js';

/** Groups of the iBUG 68-point scheme, as [first, last] indices: jaw, brows, nose, eyes, mouth (part labels 1..5). */
export const IBUG68_PARTS: readonly (readonly [number, number])[] = [
  [0, 16],
  [17, 26],
  [27, 35],
  [36, 47],
  [48, 67],
];

/** For each of the template's points (u, v pairs), the (x, y) of the foreground pixel with the nearest (û, v̂); NaN when no pixel is foreground. */
export function landmarksFromUV(maps: UVMaps, template: Float32Array): Float32Array {
  const { u, v, width } = maps;
  const k = template.length / 2;
  const best = new Float64Array(k).fill(Infinity);
  const out = new Float32Array(template.length).fill(Number.NaN);
  for (let i = 0; i < u.length; i++) {
    const pu = u[i]!;
    if (pu < 0) continue;
    const pv = v[i]!;
    for (let j = 0; j < k; j++) {
      const du = pu - template[2 * j]!;
      const dv = pv - template[2 * j + 1]!;
      const d = du * du + dv * dv;
      if (d < best[j]!) {
        best[j] = d;
        out[2 * j] = i % width;
        out[2 * j + 1] = Math.floor(i / width);
      }
    }
  }
  return out;
}

/**
 * The template's landmark (u, v): for each landmark, the mean over samples of the ground-truth U-V at the
 * foreground pixel nearest to the landmark (within `radius` pixels, default 3; samples without one skip it).
 */
export function estimateLandmarkTemplate(samples: readonly DenseRegSample[], radius = 3): Float32Array {
  const sum = new Float64Array(136);
  const count = new Float64Array(68);
  for (const s of samples) {
    if (!s.u || !s.v || !s.landmarks) continue;
    for (let k = 0; k < 68; k++) {
      const lx = s.landmarks[2 * k]!;
      const ly = s.landmarks[2 * k + 1]!;
      let best = Infinity;
      let at = -1;
      for (let y = Math.max(0, Math.floor(ly - radius)); y <= Math.min(s.height - 1, Math.ceil(ly + radius)); y++) {
        for (let x = Math.max(0, Math.floor(lx - radius)); x <= Math.min(s.width - 1, Math.ceil(lx + radius)); x++) {
          const i = y * s.width + x;
          const d = (x - lx) ** 2 + (y - ly) ** 2;
          if (s.u[i]! >= 0 && d < best && d <= radius * radius) {
            best = d;
            at = i;
          }
        }
      }
      if (at < 0) continue;
      sum[2 * k] += s.u[at]!;
      sum[2 * k + 1] += s.v[at]!;
      count[k]++;
    }
  }
  const missing = Array.from(count).findIndex((c) => c === 0);
  if (missing >= 0)
    throw new Error(
      `estimateLandmarkTemplate: landmark ${missing} has no foreground pixel within ${radius} px in any sample with U-V and landmarks`
    );
  return Float32Array.from(sum, (x, i) => x / count[i >> 1]!);
}

/** A template part map: labels on a size×size grid over (u, v) ∈ [0, 1]², row v, column u. */
export interface PartMap {
  size: number;
  labels: Uint8Array;
}

/** Labels each template (u, v) by the iBUG group (1..5, {@link IBUG68_PARTS}) of its nearest template landmark. */
export function templatePartMap(template: Float32Array, size = 64): PartMap {
  const group = new Uint8Array(68);
  IBUG68_PARTS.forEach(([a, b], g) => group.fill(g + 1, a, b + 1));
  const labels = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const pu = col / (size - 1);
      const pv = row / (size - 1);
      let best = Infinity;
      for (let k = 0; k < 68; k++) {
        const d = (pu - template[2 * k]!) ** 2 + (pv - template[2 * k + 1]!) ** 2;
        if (d < best) {
          best = d;
          labels[row * size + col] = group[k]!;
        }
      }
    }
  }
  return { size, labels };
}

/** Part label per pixel: the part map at (û, v̂), 0 on background. */
export function partSegmentation(maps: UVMaps, parts: PartMap): Uint8Array {
  const out = new Uint8Array(maps.u.length);
  const last = parts.size - 1;
  for (let i = 0; i < out.length; i++) {
    const u = maps.u[i]!;
    const v = maps.v[i]!;
    if (u < 0 || v < 0) continue;
    const col = Math.max(0, Math.min(last, Math.round(u * last)));
    const row = Math.max(0, Math.min(last, Math.round(v * last)));
    out[i] = parts.labels[row * parts.size + col]!;
  }
  return out;
}
