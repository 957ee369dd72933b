/** Synthetic face clips for the demo: frame sequences for the transformation, labelled frames for the downstream task. */
import { createFrameSequences, type FrameSequences, type LabelledImages } from '@facelab/augment';
import { renderClip, type ClipOptions } from '@facelab/synth';

/** How clips are rendered. */
export type DemoClipOptions = Omit<ClipOptions, 'identity'>;

/** One clip per seed (seed s shows identity s), as frame sequences. */
export function clipSequences(seeds: readonly number[], o: DemoClipOptions): FrameSequences {
  const size = o.size ?? 96;
  return createFrameSequences(
    seeds.map((seed) => ({ name: `clip${seed}`, frames: renderClip(seed, { ...o, identity: seed }).map((f) => f.rgb) })),
    [size, size, 3],
  );
}

/**
 * Identity classification from clips: clip c (identity `identities[c]`, label c) gives its frames at
 * `trainFrames` to the training set and every other frame to the test set.
 */
export function identitySplit(
  identities: readonly number[],
  trainFrames: readonly number[],
  o: DemoClipOptions,
): { train: LabelledImages; test: LabelledImages } {
  const size = o.size ?? 96;
  const shape = [size, size, 3] as const;
  const train: LabelledImages = { imageShape: shape, images: [], labels: [] };
  const test: LabelledImages = { imageShape: shape, images: [], labels: [] };
  identities.forEach((id, label) => {
    renderClip(id, { ...o, identity: id }).forEach((f, t) => {
      const to = trainFrames.includes(t) ? train : test;
      (to.images as Float32Array[]).push(f.rgb);
      (to.labels as number[]).push(label);
    });
  });
  return { train, test };
}
