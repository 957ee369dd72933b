/**
 * Synthetic blurred faces for the demo and tests: @facelab/synth renders a face moving along a short path (one
 * frame per sub-position: a clip with controllable motion), and this package's blurPairAt averages the n frames
 * and keeps the middle one, as for any video. Identity labels come with each pair.
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

/** Blurred/sharp pairs with identity labels. */
export function syntheticPairs(o: SyntheticPairsOptions): PairSet & { labels: number[] } {
  const range = o.range ?? { min: 7, max: 13 };
  const [lo, hi] = o.speed ?? [0.6, 1.2];
  const set: PairSet & { labels: number[] } = { blurred: [], sharp: [], size: o.size, channels: 3, names: [], labels: [] };
  for (let id = 0; id < o.identities; id++) {
    for (let j = 0; j < o.perIdentity; j++) {
      const seed = mixSeed(o.seed ?? 0, id, j, 0xdeb);
      const rng = new Rng(seed);
      const base = sampleFaceParams(seed, { size: o.size, identity: id, identities: o.identities, poseJitter: 0.5, noise: 0 });
      const n = drawBlurLength(rng, range);
      const extent = rng.uniform(lo, hi) * (n - 1);
      const frames = motionBlurParams(base, seed, { subFrames: n, extent }).map((p) => {
        const f = renderFace(p);
        return { data: f.rgb, width: f.size, height: f.size, channels: 3 };
      });
      const pair = blurPairAt(frames, (n - 1) / 2, n);
      set.blurred.push(pair.blurred);
      set.sharp.push(pair.sharp);
      set.names.push(`id${id}_${j}_n${n}`);
      set.labels.push(id);
    }
  }
  return set;
}
