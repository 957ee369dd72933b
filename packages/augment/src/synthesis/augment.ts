/**
 * Synthesis through the inverse transformation: new images D(Aᵏ E(x) + …) for k steps forward (k > 0) or
 * backward (k < 0, through A⁻¹), and interpolations between neighbouring steps: offset k + α (0 < α < 1)
 * decodes (1 − α)·z_k + α·z_{k+1}, z_k the k-step latents, rather than a fractional matrix power.
 */
import { tf } from '@facelab/core-tensor';
import { mixSeed, Rng } from '@facelab/runtime';
import { checkImages, type AugmentModel } from '../model/types.js';

/** The largest |k| {@link augment} accepts. */
export const MAX_AUGMENT_STEPS = 16;
/** The most interpolated offsets between neighbouring steps. */
export const MAX_INTERPOLATE = 16;

/** Options of {@link augment}. */
export interface AugmentOptions {
  /** K: offsets run from −K to K steps (an integer in 1..MAX_AUGMENT_STEPS). */
  steps: number;
  /** Offsets added between neighbouring integer steps (default 0). */
  interpolate?: number;
  /** Draw this many offsets per image (uniformly among the non-zero ones) instead of returning them all. */
  samples?: number;
  /** Seed of the draws (default 1). */
  seed?: number;
  /**
   * 'decode' (default, the paper's synthesis): D(z_k). 'residual': x + D(z_k) − D(z_0), the decoded change
   * added to the input, which keeps the detail a small decoder blurs away.
   */
  mode?: 'decode' | 'residual';
}

/** New images [N, M, H, W, C] and each image's M offsets (in steps; 0 is the reconstruction D(E(x))). */
export interface Augmented {
  images: tf.Tensor5D;
  offsets: number[][];
}

const checkInt = (v: unknown, name: string, lo: number, hi: number) => {
  if (!(Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi)) throw new Error(`augment: ${name} must be an integer in ${lo}..${hi}, got ${String(v)}`);
};

/** The offsets −K, …, K with `interpolate` evenly spaced offsets between neighbours, increasing. */
export function augmentOffsets(steps: number, interpolate = 0): number[] {
  checkInt(steps, 'steps', 1, MAX_AUGMENT_STEPS);
  checkInt(interpolate, 'interpolate', 0, MAX_INTERPOLATE);
  const out: number[] = [];
  for (let k = -steps; k <= steps; k++) {
    out.push(k);
    if (k < steps) for (let j = 1; j <= interpolate; j++) out.push(k + j / (interpolate + 1));
  }
  return out;
}

/** Augments each image of `images` ([N, H, W, C], floats in [0, 1]) along the model's learned transformation. */
export function augment(model: AugmentModel, images: tf.Tensor4D, options: AugmentOptions): Augmented {
  checkImages(model, images, 'augment');
  const grid = augmentOffsets(options.steps, options.interpolate ?? 0);
  const mode = options.mode ?? 'decode';
  if (mode !== 'decode' && mode !== 'residual') throw new Error(`augment: mode must be 'decode' or 'residual', got '${String(mode)}'`);
  const n = images.shape[0];
  let offsets: number[][];
  if (options.samples !== undefined) {
    checkInt(options.samples, 'samples', 1, 1024);
    const rng = new Rng(mixSeed(options.seed ?? 1, 0xa06));
    const nonZero = grid.filter((o) => o !== 0);
    offsets = Array.from({ length: n }, () => Array.from({ length: options.samples! }, () => nonZero[rng.int(nonZero.length)]!));
  } else {
    offsets = Array.from({ length: n }, () => grid);
  }
  const m = offsets[0]!.length;
  const [h, w, c] = model.imageShape;
  const d = model.latentDim;
  const out = tf.tidy(() => {
    const z = model.encode(images);
    const needed = new Set(offsets.flat().flatMap((o) => (Number.isInteger(o) ? [o] : [Math.floor(o), Math.floor(o) + 1])));
    const byStep = new Map([...needed].map((k) => [k, model.dynamics.steps(z, k).arraySync()]));
    const latents = new Float32Array(n * m * d);
    offsets.forEach((row, i) =>
      row.forEach((o, j) => {
        const k = Math.floor(o);
        const alpha = o - k;
        const lo = byStep.get(k)![i]!;
        const hi = alpha > 0 ? byStep.get(k + 1)![i]! : lo;
        for (let q = 0; q < d; q++) latents[(i * m + j) * d + q] = (1 - alpha) * lo[q]! + alpha * hi[q]!;
      }),
    );
    const decoded = model.decode(tf.tensor2d(latents, [n * m, d])).reshape([n, m, h, w, c]) as tf.Tensor5D;
    if (mode === 'decode') return decoded;
    const change = decoded.sub(model.decode(z).expandDims(1));
    return images.expandDims(1).add(change).clipByValue(0, 1) as tf.Tensor5D;
  });
  return { images: out, offsets };
}
