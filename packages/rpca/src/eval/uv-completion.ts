/** Scores of a completed UV texture on the texels that were missing (Xue et al. 2018, §5's completion error). */
import { psnr, ssim } from '@facelab/metrics';
import type { UvTexture } from '../uv/sample.js';

/** PSNR and SSIM of one completed texture on its missing texels. */
export interface UvScore {
  /** dB over the missing texels' values (all channels), estimate clipped to [0, 1], data range 1. */
  psnr: number;
  /**
   * SSIM (11×11 Gaussian window) of the truth with the estimate pasted into its missing texels, against the
   * truth: only the missing texels differ, so 1 is a perfect completion. Needs textures of ≥ 11 texels a side.
   */
  ssim: number;
  /** Number of missing texels scored. */
  missing: number;
}

/** Scores `estimate` against `truth` on the texels where `missing` is 1 (size×size 0/1). */
export function scoreUvCompletion(estimate: UvTexture, truth: UvTexture, missing: Uint8Array): UvScore {
  const { size, channels: c } = truth;
  if (estimate.size !== size || estimate.channels !== c) throw new Error(`estimate is ${estimate.size}×${estimate.size}×${estimate.channels} but truth is ${size}×${size}×${c}`);
  if (missing.length !== size * size) throw new Error(`missing has ${missing.length} entries but the textures have ${size * size} texels`);
  const a: number[] = [];
  const b: number[] = [];
  const pasted = truth.data.slice();
  let count = 0;
  for (let t = 0; t < size * size; t++) {
    if (!missing[t]) continue;
    count++;
    for (let k = 0; k < c; k++) {
      const v = Math.min(1, Math.max(0, estimate.data[t * c + k]!));
      a.push(v);
      b.push(truth.data[t * c + k]!);
      pasted[t * c + k] = v;
    }
  }
  if (count === 0) throw new Error('no missing texel to score');
  const shape = (x: Float64Array) => Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, u) => Array.from(x.subarray((y * size + u) * c, (y * size + u + 1) * c))));
  return { psnr: psnr(a, b, { dataRange: 1 }), ssim: ssim(shape(pasted), shape(truth.data), { dataRange: 1 }), missing: count };
}
