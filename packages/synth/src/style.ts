/**
 * Rendering styles: two visually different "datasets" from the same face model. `studio` is soft frontal
 * light, muted colours and plain backdrops; `wild` is hard side light, saturated colour casts, busy striped
 * clutter, skin texture and more sensor noise (a domain shift like lab → in-the-wild).
 */
import type { Rgb } from './identity.js';
import { drawShapes, type Shape } from './raster.js';
import { Rng } from '@facelab/runtime';

/** A rendering style. */
export type SynthStyle = 'studio' | 'wild';

/** The synthetic rendering styles. */
export const SYNTH_STYLES: readonly SynthStyle[] = ['studio', 'wild'];

/** Scene lighting of one image. */
export interface Lighting {
  /** Light direction: azimuth (0 = frontal, + from the right) and elevation (+ from above), radians. */
  azimuth: number;
  elevation: number;
  /** Ambient and diffuse (Lambertian) intensities on the face. */
  ambient: number;
  diffuse: number;
  /** Colour cast multiplied into the whole image. */
  tint: Rgb;
  /** Exposure gain. */
  gain: number;
  /** Saturation factor of the final colour grading (1 = unchanged). */
  saturation: number;
}

/** Draws a random lighting for `style`. */
export function sampleLighting(rng: Rng, style: SynthStyle): Lighting {
  if (style === 'studio') {
    return {
      azimuth: rng.uniform(-0.4, 0.4),
      elevation: rng.uniform(0.1, 0.5),
      ambient: rng.uniform(0.5, 0.65),
      diffuse: rng.uniform(0.4, 0.55),
      tint: [1, 1, 1],
      gain: rng.uniform(0.95, 1.05),
      saturation: 0.8,
    };
  }
  const warm = rng.uniform(-1, 1);
  return {
    azimuth: (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.6, 1.3),
    elevation: rng.uniform(-0.1, 0.7),
    ambient: rng.uniform(0.25, 0.4),
    diffuse: rng.uniform(0.75, 0.95),
    tint: [1 + 0.12 * warm, 1, 1 - 0.12 * warm],
    gain: rng.uniform(0.85, 1.2),
    saturation: 1.3,
  };
}

/** Standard deviation of the sensor noise of `style` (images in [0, 1]). */
export function sampleNoiseLevel(rng: Rng, style: SynthStyle): number {
  return style === 'studio' ? rng.uniform(0.005, 0.02) : rng.uniform(0.02, 0.05);
}

/** Fills `rgb` (n×n) with the backdrop of `style`: a vertical gradient, plus clutter shapes when `clutter`. */
export function drawBackdrop(rgb: Float32Array, n: number, style: SynthStyle, seed: number, clutter: boolean): void {
  const rng = new Rng(seed);
  const muted = (): Rgb => {
    const g = rng.uniform(0.35, 0.8);
    return [g + rng.uniform(-0.06, 0.06), g + rng.uniform(-0.06, 0.06), g + rng.uniform(-0.06, 0.06)];
  };
  const vivid = (): Rgb => [rng.next(), rng.next(), rng.next()];
  const top = style === 'studio' ? muted() : vivid();
  const bottom = style === 'studio' ? muted() : vivid();
  for (let y = 0; y < n; y++) {
    const t = n > 1 ? y / (n - 1) : 0;
    const r = top[0] + (bottom[0] - top[0]) * t;
    const g = top[1] + (bottom[1] - top[1]) * t;
    const b = top[2] + (bottom[2] - top[2]) * t;
    for (let x = 0; x < n; x++) {
      const k = 3 * (y * n + x);
      rgb[k] = r;
      rgb[k + 1] = g;
      rgb[k + 2] = b;
    }
  }
  if (!clutter) return;
  const shapes: Shape[] = [];
  const count = style === 'studio' ? 3 + rng.int(4) : 10 + rng.int(12);
  for (let i = 0; i < count; i++) {
    const kinds = ['box', 'ellipse', 'line'] as const;
    const kind = style === 'studio' ? 'ellipse' : kinds[rng.int(3)]!;
    const x = rng.uniform(-0.1, 1.1) * n;
    const y = rng.uniform(-0.1, 1.1) * n;
    shapes.push({
      kind,
      x,
      y,
      a: kind === 'line' ? x + rng.uniform(-0.5, 0.5) * n : rng.uniform(0.05, 0.3) * n,
      b: kind === 'line' ? y + rng.uniform(-0.5, 0.5) * n : rng.uniform(0.05, 0.3) * n,
      angle: kind === 'line' ? rng.uniform(0.5, 0.02 * n + 0.5) : rng.uniform(0, Math.PI),
      color: style === 'studio' ? muted() : vivid(),
      alpha: style === 'studio' ? rng.uniform(0.2, 0.5) : rng.uniform(0.7, 1),
      soft: style === 'studio' ? 0.08 * n : 1,
      stripes: style === 'wild' && rng.next() < 0.4 ? rng.uniform(2, 6) : 0,
    });
  }
  drawShapes(rgb, n, shapes);
}
