/**
 * Re-rendering (Xue et al. 2018, §5: the completed texture "can be rendered at arbitrary poses"): every face
 * pixel of a target view looks its (u, v) up in the texture, bilinearly between the centres of the texels the
 * mask marks valid (weights renormalised over them, so the support's edge does not darken).
 */
import type { UvTexture } from './sample.js';

/** Options of {@link renderUv}. */
export interface RenderUvOptions {
  /** Value of pixels off the face (default 0.5). */
  background?: number;
}

/**
 * Renders `texture` into a view whose per-pixel U-V map is `uv` (HW×2, negative u off the face): HWC values with
 * the texture's channels, `background` off the face and where none of the four nearest texels is valid.
 */
export function renderUv(texture: UvTexture, uv: ArrayLike<number>, width: number, height: number, options: RenderUvOptions = {}): Float64Array {
  const { size, channels: c, data, mask } = texture;
  if (uv.length !== 2 * width * height) throw new Error(`renderUv: uv has ${uv.length} values but ${width}×${height}×2 = ${2 * width * height} are needed`);
  const out = new Float64Array(width * height * c).fill(options.background ?? 0.5);
  const clampIndex = (i: number) => Math.min(size - 1, Math.max(0, i));
  for (let i = 0; i < width * height; i++) {
    const u = uv[2 * i]!;
    const v = uv[2 * i + 1]!;
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) continue;
    // Texel centres sit at (j + 0.5)/size.
    const x = u * size - 0.5;
    const y = v * size - 0.5;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const [xa, xb, ya, yb] = [clampIndex(x0), clampIndex(x0 + 1), clampIndex(y0), clampIndex(y0 + 1)];
    const taps: [number, number][] = [
      [ya * size + xa, (1 - fy) * (1 - fx)],
      [ya * size + xb, (1 - fy) * fx],
      [yb * size + xa, fy * (1 - fx)],
      [yb * size + xb, fy * fx],
    ];
    let total = 0;
    for (const [t, w] of taps) if (mask[t]) total += w;
    if (!(total > 1e-12)) continue;
    for (let k = 0; k < c; k++) {
      let s = 0;
      for (const [t, w] of taps) if (mask[t]) s += w * data[t * c + k]!;
      out[i * c + k] = s / total;
    }
  }
  return out;
}
