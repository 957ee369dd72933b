/**
 * The demo's three features as plain functions of pixels and models, shared by the page (in the browser) and by
 * scripts/make-assets.ts (in Node, where they give the reference numbers the browser test compares against).
 * Results are read from tensors asynchronously: tfjs-backend-webgpu 4.22's synchronous read (dataSync) returned
 * wrong values in headless Chromium 156.
 */
import { embedAsync } from '@facelab/arcface';
import { normalizeRgbBytes, predictClipsAsync } from '@facelab/affwildnet';
import { tf } from '@facelab/core-tensor';
import { pcp } from '@facelab/rpca';

/** Interleaved 8-bit pixels, row-major (`channels` 3 = RGB, 1 = grey). */
export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** ArcFace embeddings of face crops and their pairwise cosine similarities. */
export interface SimilarityResult {
  embeddings: number[][];
  /** similarity[i][j]: cosine of the L2-normalised embeddings of faces i and j. */
  similarity: number[][];
}

/** Embeds square RGB face crops at the model's input size (pixels 0–255) and compares every pair. */
export async function faceSimilarity(model: tf.LayersModel, faces: readonly Pixels[]): Promise<SimilarityResult> {
  const size = model.inputs[0]!.shape[1]!;
  faces.forEach((f, i) => {
    if (f.width !== size || f.height !== size || f.channels !== 3) throw new Error(`faceSimilarity: face ${i} is ${f.width}×${f.height}×${f.channels}, the model takes ${size}×${size}×3`);
  });
  const batch = tf.tidy(() => tf.stack(faces.map((f) => tf.tensor3d(Float32Array.from(f.data), [size, size, 3]))) as tf.Tensor4D);
  try {
    const rows = await embedAsync(model, batch, { flip: true });
    const similarity = rows.map((a) => rows.map((b) => a.reduce((s, v, k) => s + v * b[k]!, 0)));
    return { embeddings: rows.map((r) => Array.from(r)), similarity };
  } finally {
    batch.dispose();
  }
}

/** AffWildNet's [valence, arousal] for each frame of a clip of square RGB frames (one clip, T frames). */
export async function valenceArousal(model: tf.LayersModel, frames: readonly Pixels[]): Promise<number[][]> {
  const size = model.inputs[0]!.shape[2]!;
  const per = size * size * 3;
  const x = new Float32Array(frames.length * per);
  frames.forEach((f, t) => {
    if (f.width !== size || f.height !== size || f.channels !== 3) throw new Error(`valenceArousal: frame ${t} is ${f.width}×${f.height}×${f.channels}, the model takes ${size}×${size}×3`);
    x.set(normalizeRgbBytes(f.data), t * per);
  });
  const set = { frames: x, labels: new Float32Array(frames.length * 2), count: 1, length: frames.length, size };
  return (await predictClipsAsync(model, set, 1))[0]!;
}

/** A clip separated by Robust PCA: low-rank background L and sparse foreground S, frames × pixels, in [0, 1] units. */
export interface SeparationResult {
  background: number[][];
  foreground: number[][];
  iterations: number;
  rank: number;
}

/** Principal component pursuit (pcp) on a grey clip: one row of M per frame, pixel values / 255. */
export function separateClip(frames: readonly Pixels[]): SeparationResult {
  const M = frames.map((f, t) => {
    if (f.channels !== 1 || f.width * f.height !== frames[0]!.width * frames[0]!.height) throw new Error(`separateClip: frame ${t} must be grey and the size of frame 0`);
    return Array.from(f.data, (v) => v / 255);
  });
  const r = pcp(M);
  return { background: r.L.to2DArray(), foreground: r.S.to2DArray(), iterations: r.iterations, rank: r.rank };
}

/** Splits a vertical strip of equal square frames (frame t at rows t·w … (t+1)·w − 1) into frames. */
export function splitStrip(strip: Pixels): Pixels[] {
  const { width, height, channels } = strip;
  if (height % width !== 0) throw new Error(`splitStrip: a ${width}×${height} strip is not a column of ${width}×${width} frames`);
  const per = width * width * channels;
  return Array.from({ length: height / width }, (_, t) => ({ data: strip.data.subarray(t * per, (t + 1) * per), width, height: width, channels }));
}
