/**
 * Batched prediction of AffWildNet-style models on in-memory clip sets (no trainer, no files: also in the
 * browser build), and the clip batches training uses.
 */
import { tf } from '@facelab/core-tensor';
import { toTensors } from '@facelab/data';
import type { ClipSet } from '../data/sets.js';
import { utteranceMeans } from './affect.js';

/** Clips `idx` of a set as a batch {x [b, T, S, S, 3], y [b, T, 2], mask [b, T]} (through @facelab/data's toTensors). */
export function clipBatch(set: ClipSet, idx: readonly number[]): { x: tf.Tensor5D; y: tf.Tensor3D; mask: tf.Tensor2D } {
  const { length: t, size: s } = set;
  const per = t * s * s * 3;
  const ones = new Float32Array(t).fill(1);
  const samples = idx.map((c) => ({
    x: set.frames.subarray(c * per, (c + 1) * per),
    y: set.labels.subarray(c * t * 2, (c + 1) * t * 2),
    mask: set.mask ? set.mask.subarray(c * t, (c + 1) * t) : ones,
  }));
  return toTensors(samples, { shapes: { x: [t, s, s, 3], y: [t, 2] } }) as { x: tf.Tensor5D; y: tf.Tensor3D; mask: tf.Tensor2D };
}

/** The clip indices of batch `start` and the model's [b, T, 2] predictions with the batch's mask. */
function predictBatch(model: tf.LayersModel, set: ClipSet, start: number, batchSize: number): { pred: tf.Tensor3D; mask: tf.Tensor2D } {
  const idx = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
  const b = clipBatch(set, idx);
  const pred = tf.tidy(() => model.predict(b.x) as tf.Tensor3D);
  tf.dispose([b.x, b.y]);
  return { pred, mask: b.mask };
}

/** Appends each clip's frames (padded frames dropped) to `out`. */
function keepFrames(out: number[][][], values: number[][][], mask: number[][]): void {
  values.forEach((clip, i) => out.push(clip.filter((_, t) => mask[i]![t]! > 0)));
}

/** Predicts every clip of `set` in batches → per-clip [T][2] arrays (padded frames dropped). */
export function predictClips(model: tf.LayersModel, set: ClipSet, batchSize = 8): number[][][] {
  const out: number[][][] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const { pred, mask } = predictBatch(model, set, start, batchSize);
    try {
      keepFrames(out, pred.arraySync(), mask.arraySync());
    } finally {
      tf.dispose([pred, mask]);
    }
  }
  return out;
}

/**
 * {@link predictClips} reading results asynchronously (`await tensor.array()`), as a browser's webgpu backend
 * needs: tfjs-backend-webgpu 4.22's synchronous read returned wrong values in headless Chromium 156.
 */
export async function predictClipsAsync(model: tf.LayersModel, set: ClipSet, batchSize = 8): Promise<number[][][]> {
  const out: number[][][] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const { pred, mask } = predictBatch(model, set, start, batchSize);
    try {
      keepFrames(out, await pred.array(), await mask.array());
    } finally {
      tf.dispose([pred, mask]);
    }
  }
  return out;
}

/**
 * Utterance-level predictions (OMG-Emotion): each clip of `set` is one utterance, and its prediction is the mean
 * of its frame predictions (padded frames excluded) → [valence, arousal] per clip.
 */
export function predictUtterances(model: tf.LayersModel, set: ClipSet, batchSize = 8): [number, number][] {
  return utteranceMeans(predictClips(model, set, batchSize));
}

/** Per-frame predictions of a {@link createFrameHead} model ([B, T, …] → [B·T, 2]) as per-clip [T][2] arrays. */
export function predictFrames(frameModel: tf.LayersModel, set: ClipSet, batchSize = 8): number[][][] {
  const clipModel = {
    predict: (x: tf.Tensor) => tf.tidy(() => (frameModel.predict(x) as tf.Tensor).reshape([x.shape[0]!, x.shape[1]!, 2])),
  } as unknown as tf.LayersModel;
  return predictClips(clipModel, set, batchSize);
}

/** The gold frames of every clip of `set` as per-clip [T][2] arrays (padded frames dropped). */
export function clipLabels(set: ClipSet): number[][][] {
  return Array.from({ length: set.count }, (_, c) =>
    Array.from({ length: set.length }, (_, t) => [set.labels[(c * set.length + t) * 2]!, set.labels[(c * set.length + t) * 2 + 1]!]).filter(
      (_, t) => !set.mask || set.mask[c * set.length + t]! > 0,
    ),
  );
}
