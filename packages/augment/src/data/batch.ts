/** Frames of a {@link FrameSequences} as tensors. */
import { tf } from '@facelab/core-tensor';
import type { FramePair, FrameSequences } from './sequences.js';

/** Stacks HWC frames of one shape into [N, H, W, C]. */
export function stackFrames(frames: readonly Float32Array[], shape: readonly [number, number, number]): tf.Tensor4D {
  const size = shape[0] * shape[1] * shape[2];
  const data = new Float32Array(frames.length * size);
  frames.forEach((f, i) => data.set(f, i * size));
  return tf.tensor4d(data, [frames.length, ...shape]);
}

/** The pairs' first and second frames as two [B, H, W, C] tensors. */
export function pairBatch(set: FrameSequences, pairs: readonly FramePair[]): { x0: tf.Tensor4D; x1: tf.Tensor4D } {
  return {
    x0: stackFrames(pairs.map((p) => set.frames[p.sequence]![p.t]!), set.imageShape),
    x1: stackFrames(pairs.map((p) => set.frames[p.sequence]![p.t + 1]!), set.imageShape),
  };
}
