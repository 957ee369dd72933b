/**
 * The paper's tasks as corruptions of clean 8-bit images (Sec. 4; reference `datasets/denoising_db.py`), applied
 * on the fly to [H, W, C] pixels in [0, 255] with a seeded Rng, and the pixel ↔ model-range conversions.
 */
import type { Rng } from '@facelab/runtime';

/** The tasks: sparse inpainting, denoising, ×4 super-resolution, and given (input, target) pairs. */
export type RocGanTask = 'sparse' | 'denoise' | 'superres' | 'im2im';

/** A corruption: the task and its strength. */
export interface CorruptionOptions {
  /** The task (default 'sparse'). 'im2im' leaves inputs as the data gives them. */
  task?: RocGanTask;
  /**
   * Fraction of values set to 0: per pixel, shared over channels ('sparse'), or per value ('denoise'). Default
   * 0.5: the reference's `mask: [0.5, 1.5]`, whose int(U[0.5, 1.5)) keeps each value with probability ½.
   */
  dropRate?: number;
  /** Std of additive Gaussian noise in pixel units, after the mask ('denoise' only; default 0). */
  noiseStd?: number;
  /** Super-resolution factor (default 4): box-downsampled, then nearest-upsampled back to full size. */
  scale?: number;
}

/** Checks corruption options; returns them with defaults. */
export function resolveCorruption(o: CorruptionOptions = {}): Required<CorruptionOptions> {
  const r = { task: o.task ?? 'sparse', dropRate: o.dropRate ?? 0.5, noiseStd: o.noiseStd ?? 0, scale: o.scale ?? 4 };
  if (!['sparse', 'denoise', 'superres', 'im2im'].includes(r.task)) {
    throw new Error(`task must be 'sparse', 'denoise', 'superres' or 'im2im', got '${String(r.task)}'`);
  }
  if (!(r.dropRate >= 0 && r.dropRate <= 1)) throw new Error(`dropRate must be in [0, 1], got ${r.dropRate}`);
  if (!(r.noiseStd >= 0) || !Number.isFinite(r.noiseStd)) throw new Error(`noiseStd must be a non-negative number, got ${r.noiseStd}`);
  if (!Number.isInteger(r.scale) || r.scale < 1) throw new Error(`scale must be a positive integer, got ${r.scale}`);
  return r as Required<CorruptionOptions>;
}

/**
 * Corrupts one clean image (interleaved [h, w, c] values in [0, 255]) and returns a new array; the result stays
 * in [0, 255]. 'im2im' returns a copy (its inputs come from the data).
 */
export function corruptImage(
  clean: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  options: CorruptionOptions,
  rng: Rng,
): Float32Array {
  const o = resolveCorruption(options);
  if (clean.length !== h * w * c) throw new Error(`corruptImage: ${clean.length} values for a ${h}×${w}×${c} image`);
  const out = Float32Array.from(clean);
  switch (o.task) {
    case 'sparse':
      for (let p = 0; p < h * w; p++) {
        if (rng.next() < o.dropRate) out.fill(0, p * c, p * c + c);
      }
      break;
    case 'denoise':
      for (let i = 0; i < out.length; i++) {
        const v = rng.next() < o.dropRate ? 0 : out[i]!;
        out[i] = o.noiseStd > 0 ? Math.min(255, Math.max(0, v + rng.normal(0, o.noiseStd))) : v;
      }
      break;
    case 'superres': {
      const s = o.scale;
      if (h % s !== 0 || w % s !== 0) throw new Error(`corruptImage: superres scale ${s} does not divide the ${h}×${w} image`);
      for (let by = 0; by < h; by += s) {
        for (let bx = 0; bx < w; bx += s) {
          for (let ch = 0; ch < c; ch++) {
            let sum = 0;
            for (let y = by; y < by + s; y++) for (let x = bx; x < bx + s; x++) sum += clean[(y * w + x) * c + ch]!;
            const mean = sum / (s * s);
            for (let y = by; y < by + s; y++) for (let x = bx; x < bx + s; x++) out[(y * w + x) * c + ch] = mean;
          }
        }
      }
      break;
    }
    case 'im2im':
      break;
  }
  return out;
}

/**
 * Pixels [0, 255] → model range, in place: v/128 − 1, plus dequantisation noise U[0, 1/128) when `rng` is given
 * (the reference's `dequantize`).
 */
export function toModelRange(pixels: Float32Array, rng?: Rng): Float32Array {
  for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! / 128 - 1 + (rng ? rng.next() / 128 : 0);
  return pixels;
}

/** Model range → 8-bit pixels: round((v + 1)·128), clipped to [0, 255] (the inverse of {@link toModelRange}). */
export function toPixels(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((values[i]! + 1) * 128)));
  return out;
}
