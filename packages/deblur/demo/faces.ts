/**
 * Synthetic blurred faces for the demo and tests: @facelab/synth renders a face moving along a short path (one
 * frame per sub-position: a clip with controllable motion), and this package's blurPairAt averages the n frames
 * and keeps the middle one, as for any video. Identity labels, and the middle frame's 68 landmarks and U-V map
 * (ground truth for the landmark error and for training the landmark locator), come with each pair.
 */
import { Rng, mixSeed } from '@facelab/runtime';
import { motionBlurParams, renderFace, sampleFaceParams } from '@facelab/synth';
import { blurPairAt, drawBlurLength, type BlurRange, type PairSet } from '@facelab/deblur';

/** Options of {@link syntheticPairs}. */
export interface SyntheticPairsOptions {
  /** Identities (labels 0 … identities − 1). */
  identities: number;
  /** Pairs per identity. */
  perIdentity: number;
  /** Face size in pixels. */
  size: number;
  /** Odd frame counts (default 7–13). */
  range?: BlurRange;
  /** Motion per frame in pixels, drawn uniformly from this interval (default [0.6, 1.2]). */
  speed?: [number, number];
  /** Seed (default 0); pairs of another seed are other samples of the same identities. */
  seed?: number;
}

/** Pairs with identity labels and the sharp (middle) frame's ground truth. */
export interface SyntheticPairs extends PairSet {
  labels: number[];
  /** 68 iBUG landmarks of each sharp frame, [x0, y0, …] in pixels. */
  landmarks: Float32Array[];
  /** U-V map of each sharp frame, (u, v) per pixel interleaved, −1 off the face. */
  uv: Float32Array[];
}

/** Blurred/sharp pairs with identity labels and the sharp frame's landmarks and U-V. */
export function syntheticPairs(o: SyntheticPairsOptions): SyntheticPairs {
  const range = o.range ?? { min: 7, max: 13 };
  const [lo, hi] = o.speed ?? [0.6, 1.2];
  const set: SyntheticPairs = { blurred: [], sharp: [], size: o.size, channels: 3, names: [], labels: [], landmarks: [], uv: [] };
  for (let id = 0; id < o.identities; id++) {
    for (let j = 0; j < o.perIdentity; j++) {
      const seed = mixSeed(o.seed ?? 0, id, j, 0xdeb);
      const rng = new Rng(seed);
      const base = sampleFaceParams(seed, { size: o.size, identity: id, identities: o.identities, poseJitter: 0.5, noise: 0 });
      const n = drawBlurLength(rng, range);
      const extent = rng.uniform(lo, hi) * (n - 1);
      const rendered = motionBlurParams(base, seed, { subFrames: n, extent }).map(renderFace);
      const frames = rendered.map((f) => ({ data: f.rgb, width: f.size, height: f.size, channels: 3 }));
      const pair = blurPairAt(frames, (n - 1) / 2, n);
      set.blurred.push(pair.blurred);
      set.sharp.push(pair.sharp);
      set.names.push(`id${id}_${j}_n${n}`);
      set.labels.push(id);
      set.landmarks.push(rendered[(n - 1) / 2]!.landmarks);
      set.uv.push(rendered[(n - 1) / 2]!.uv);
    }
  }
  return set;
}
