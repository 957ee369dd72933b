/**
 * UV sampling (Xue et al. 2018, §5: "the texture of each frame is sampled into UV space"): every visible face
 * pixel carries (u, v) coordinates of the face surface; its colour is scattered into the texel that holds (u, v),
 * texels with several pixels take their mean, and texels no visible pixel reached are missing (mask 0).
 */

/** A rendered frame and its per-pixel U-V map. */
export interface UvFrame {
  width: number;
  height: number;
  /** Colour channels per pixel (1 or 3 typically). */
  channels: number;
  /** Pixel values, HWC (any range; kept as given). */
  pixels: ArrayLike<number>;
  /** Per pixel (u, v) in [0, 1], HW×2; a pixel off the face holds a negative u (e.g. −1). */
  uv: ArrayLike<number>;
  /** Optional per-pixel 0/1: pixels with 0 are not sampled (self-occluded, or known to be unreliable). */
  visible?: ArrayLike<number>;
}

/** A square UV texture with its visibility mask. */
export interface UvTexture {
  /** Texels per side. */
  size: number;
  channels: number;
  /** size×size×channels values, HWC (v down the rows, u along them); 0 where the mask is 0. */
  data: Float64Array;
  /** size×size: 1 where at least one visible pixel landed, 0 where the texel is missing. */
  mask: Uint8Array;
}

/** Options of {@link sampleUv}. */
export interface SampleUvOptions {
  /** Texels per side of the UV image (default 32). */
  size?: number;
}

/** Texel index of coordinate c ∈ [0, 1] on a grid of `size` cells (c = 1 falls into the last cell). */
function cell(c: number, size: number): number {
  return Math.min(size - 1, Math.floor(c * size));
}

/** Scatters a frame's visible face pixels into a size×size UV texture (mean per texel) with a visibility mask. */
export function sampleUv(frame: UvFrame, options: SampleUvOptions = {}): UvTexture {
  const size = options.size ?? 32;
  checkFrame(frame);
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new Error(`sampleUv: size must be an integer in [1, 4096] (got ${String(size)})`);
  const { width, height, channels: c, pixels, uv, visible } = frame;
  const sum = new Float64Array(size * size * c);
  const count = new Uint32Array(size * size);
  for (let i = 0; i < width * height; i++) {
    const u = uv[2 * i]!;
    const v = uv[2 * i + 1]!;
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) continue;
    if (visible && !visible[i]) continue;
    const t = cell(v, size) * size + cell(u, size);
    count[t]!++;
    for (let k = 0; k < c; k++) sum[t * c + k]! += pixels[i * c + k]!;
  }
  const mask = new Uint8Array(size * size);
  for (let t = 0; t < size * size; t++) {
    if (count[t] === 0) continue;
    mask[t] = 1;
    for (let k = 0; k < c; k++) sum[t * c + k]! /= count[t]!;
  }
  return { size, channels: c, data: sum, mask };
}

function checkFrame(f: UvFrame): void {
  if (typeof f !== 'object' || f === null) throw new Error(`sampleUv: frame must be an object (got ${f === null ? 'null' : typeof f})`);
  const { width, height, channels } = f;
  for (const [name, v] of [['width', width], ['height', height], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`sampleUv: frame.${name} must be a positive integer (got ${String(v)})`);
  }
  const n = width * height;
  const len = (x: unknown) => (x !== null && typeof x === 'object' && typeof (x as ArrayLike<number>).length === 'number' ? (x as ArrayLike<number>).length : -1);
  if (len(f.pixels) !== n * channels) throw new Error(`sampleUv: frame.pixels has ${len(f.pixels)} values but ${width}×${height}×${channels} = ${n * channels} are needed`);
  if (len(f.uv) !== 2 * n) throw new Error(`sampleUv: frame.uv has ${len(f.uv)} values but ${width}×${height}×2 = ${2 * n} are needed`);
  if (f.visible !== undefined && len(f.visible) !== n) throw new Error(`sampleUv: frame.visible has ${len(f.visible)} values but the frame has ${n} pixels`);
}
