/**
 * Frame sequences, the training data of the paper: ordered frames of one scene (a video), from which the
 * consecutive-frame pairs (x_t, x_{t+1}) are drawn. In memory every frame is an HWC Float32Array in [0, 1].
 */
import type { ImageShape } from '../model/types.js';

/** Frame sequences of one image shape, each with at least two frames. */
export interface FrameSequences {
  readonly imageShape: ImageShape;
  /** Each sequence's name (a folder or video name) for messages and output files. */
  readonly names: readonly string[];
  /** Each sequence's frames, HWC floats in [0, 1]. */
  readonly frames: readonly (readonly Float32Array[])[];
}

/** A consecutive-frame pair: sequence index and the index t of its first frame. */
export interface FramePair {
  sequence: number;
  t: number;
}

const shapeText = (s: ImageShape) => `${s[0]}×${s[1]}×${s[2]}`;

/**
 * Validates and packs sequences: every frame must be H·W·C values of `imageShape`, every sequence at least
 * `minFrames` frames (2, to form pairs, unless only images to augment are wanted).
 */
export function createFrameSequences(
  sequences: readonly { name: string; frames: readonly Float32Array[]; shape?: ImageShape }[],
  imageShape: ImageShape,
  minFrames: 1 | 2 = 2,
): FrameSequences {
  if (sequences.length === 0) throw new Error('frame sequences: no sequences');
  const [h, w, c] = imageShape;
  if (![h, w, c].every((v) => Number.isInteger(v) && v > 0)) throw new Error(`frame sequences: bad image shape [${imageShape.join(', ')}]`);
  const size = h * w * c;
  for (const s of sequences) {
    if (s.shape && (s.shape[0] !== h || s.shape[1] !== w || s.shape[2] !== c)) {
      throw new Error(`frame sequences: sequence '${s.name}' is ${shapeText(s.shape)}, expected ${shapeText(imageShape)} like '${sequences[0]!.name}'`);
    }
    if (s.frames.length < minFrames) {
      const why = minFrames === 2 ? 'consecutive-frame pairs need at least 2' : 'need at least 1';
      throw new Error(`frame sequences: sequence '${s.name}' has ${s.frames.length} frame${s.frames.length === 1 ? '' : 's'}; ${why}`);
    }
    s.frames.forEach((f, t) => {
      if (f.length !== size) throw new Error(`frame sequences: sequence '${s.name}' frame ${t} has ${f.length} values, expected ${size} (${shapeText(imageShape)})`);
    });
  }
  return { imageShape: [h, w, c], names: sequences.map((s) => s.name), frames: sequences.map((s) => s.frames) };
}

/** Every consecutive-frame pair, sequence by sequence. */
export function framePairs(set: FrameSequences): FramePair[] {
  return set.frames.flatMap((frames, sequence) => Array.from({ length: frames.length - 1 }, (_, t) => ({ sequence, t })));
}

/** Every frame of every sequence, in order. */
export function allFrames(set: FrameSequences): Float32Array[] {
  return set.frames.flat();
}
