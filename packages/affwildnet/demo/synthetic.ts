/**
 * The demo's (and tests') training data from @facelab/synth's face renderer: clips whose valence/arousal follow
 * smooth trajectories, and single faces of the 7 basic emotions in a rendering style, with pixels normalised
 * like the released Aff-Wild frames.
 */
import {
  renderClip,
  synthFace,
  SYNTH_EMOTIONS,
  type SynthOptions,
  type SynthStyle,
} from '@facelab/synth';
import { normalizeRgbBytes, type ClipSet, type FaceSet } from '@facelab/affwildnet';

/** Options of {@link synthClipSet}. */
export interface SynthClipSetOptions {
  /** Frames per clip. */
  length: number;
  /** Frame size. */
  size: number;
  /** Identity pool (default 50). */
  identities?: number;
  /** Rendering style (default 'studio'). */
  style?: SynthStyle;
  /** Head motion (default 1). */
  motion?: number;
  /** Backdrop clutter (default true). */
  clutter?: boolean;
  /** Frame rate (default 25); lower rates spread a clip's frames over more of its affect trajectory. */
  fps?: number;
}

/** Renders clips `seeds` (one clip per seed, deterministic). */
export function synthClipSet(seeds: readonly number[], options: SynthClipSetOptions): ClipSet {
  const { length, size } = options;
  const per = size * size * 3;
  const frames = new Float32Array(seeds.length * length * per);
  const labels = new Float32Array(seeds.length * length * 2);
  seeds.forEach((seed, i) => {
    const { identities = 50, style, motion, clutter, fps } = options;
    const clip = renderClip(seed, { frames: length, size, identities, style, motion, clutter, fps });
    clip.forEach((face, t) => {
      frames.set(normalizeRgbBytes(face.image), (i * length + t) * per);
      labels[(i * length + t) * 2] = face.valence;
      labels[(i * length + t) * 2 + 1] = face.arousal;
    });
  });
  return { frames, labels, count: seeds.length, length, size };
}

/** Renders `count` faces from seed `seed0`, classes (indices into SYNTH_EMOTIONS) cycling through the 7 emotions, in `style` (`extra`: more renderer options). */
export function synthEmotionSet(
  seed0: number,
  count: number,
  size: number,
  style: SynthStyle,
  extra: Pick<SynthOptions, 'poseJitter' | 'clutter'> = {},
): FaceSet {
  const per = size * size * 3;
  const images = new Float32Array(count * per);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % SYNTH_EMOTIONS.length;
    const face = synthFace(seed0 + i, { size, style, emotion: SYNTH_EMOTIONS[label], identities: 200, ...extra });
    images.set(normalizeRgbBytes(face.image), i * per);
    labels[i] = label;
  }
  return { images, labels, count, size };
}
