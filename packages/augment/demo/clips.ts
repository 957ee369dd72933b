/**
 * Synthetic face clips with a consistent change for the demo: over a clip the head turns at a steady yaw rate
 * while valence rises at a steady rate (a smile growing), over a fixed backdrop and lighting — so that one
 * linear latent step can stand for "one frame later".
 */
import { createFrameSequences, type FrameSequences, type LabelledImages } from '@facelab/augment';
import { mixSeed } from '@facelab/runtime';
import { expressionFor, nearestEmotion, renderFace, sampleFaceParams, SYNTH_EMOTIONS } from '@facelab/synth';

/** How the demo's clips are rendered. */
export interface TurningClipOptions {
  frames: number;
  size: number;
  /** Yaw (radians) and valence change per frame. */
  yawStep: number;
  valenceStep: number;
}

/** Frames of clip `seed` showing `identity`: yaw and valence centred on the clip's middle frame. */
export function turningClip(seed: number, identity: number, o: TurningClipOptions): Float32Array[] {
  const base = sampleFaceParams(seed, { size: o.size, identity, identities: 100_000, clutter: false, poseJitter: 0.3, valenceArousal: [0, 0] });
  const mid = (o.frames - 1) / 2;
  return Array.from({ length: o.frames }, (_, t) => {
    const valence = Math.max(-1, Math.min(1, (t - mid) * o.valenceStep));
    const emotion = nearestEmotion(valence, 0);
    return renderFace({
      ...base,
      valence,
      arousal: 0,
      emotion,
      expression: expressionFor(valence, 0, SYNTH_EMOTIONS[emotion]),
      pose: { ...base.pose, yaw: base.pose.yaw + (t - mid) * o.yawStep },
      noiseSeed: mixSeed(base.noiseSeed, t),
    }).rgb;
  });
}

/** One clip per seed (seed s shows identity s) as frame sequences. */
export function clipSequences(seeds: readonly number[], o: TurningClipOptions): FrameSequences {
  return createFrameSequences(
    seeds.map((seed) => ({ name: `clip${seed}`, frames: turningClip(seed, seed, o) })),
    [o.size, o.size, 3],
  );
}

/**
 * Identity classification: person c (label c) is seen in training only at the middle frames `trainFrames`
 * of one clip, and tested on every frame of another clip (another backdrop, lighting and pose range).
 */
export function identitySplit(persons: readonly number[], trainFrames: readonly number[], o: TurningClipOptions): { train: LabelledImages; test: LabelledImages } {
  const shape = [o.size, o.size, 3] as const;
  const train = { imageShape: shape, images: [] as Float32Array[], labels: [] as number[] };
  const test = { imageShape: shape, images: [] as Float32Array[], labels: [] as number[] };
  persons.forEach((id, label) => {
    const seen = turningClip(mixSeed(id, 1), id, o);
    for (const t of trainFrames) {
      train.images.push(seen[t]!);
      train.labels.push(label);
    }
    for (const f of turningClip(mixSeed(id, 2), id, o)) {
      test.images.push(f);
      test.labels.push(label);
    }
  });
  return { train, test };
}
