/**
 * One DenseReg training/evaluation sample — an RGB image with per-pixel U-V ground truth (−1 off the face)
 * and optional 68 landmarks — its checks, DeepLab's input normalisation, and batching into tensors.
 */
import { tf } from '@facelab/core-tensor';
import { DEEPLAB_RGB_MEAN } from '../model/densereg-net.js';

/** An image and its dense ground truth. Pixel (x, y) is index y·width + x; pixel centres at integer (x, y). */
export interface DenseRegSample {
  width: number;
  height: number;
  /** RGB, HWC, 0–255 (bytes or floats). */
  image: ArrayLike<number>;
  /** U per pixel in [0, 1], −1 on background (absent for landmark-only data). */
  u?: Float32Array;
  /** V per pixel in [0, 1], −1 on background; background where and only where u is. */
  v?: Float32Array;
  /** 68 iBUG landmarks [x0, y0, x1, y1, …] in pixels (0-based). */
  landmarks?: Float32Array;
  /** Where the sample came from, for error messages and CSV rows. */
  name?: string;
}

/** Throws a one-line error naming the sample and what is wrong: sizes, non-finite values, U/V out of range or mask mismatch. */
export function checkSample(s: DenseRegSample): void {
  const label = `sample '${s.name ?? '<unnamed>'}'`;
  if (!Number.isInteger(s.width) || !Number.isInteger(s.height) || s.width < 1 || s.height < 1) {
    throw new Error(`${label}: width and height must be positive integers, got ${s.width}×${s.height}`);
  }
  const n = s.width * s.height;
  if (s.image.length !== 3 * n)
    throw new Error(`${label}: image has ${s.image.length} values, expected ${s.width}×${s.height}×3 = ${3 * n}`);
  for (let i = 0; i < s.image.length; i++) {
    const p = s.image[i]!;
    if (!Number.isFinite(p)) throw new Error(`${label}: image value ${i} is not finite (${p})`);
  }
  if ((s.u === undefined) !== (s.v === undefined)) throw new Error(`${label}: u and v come together (one is missing)`);
  if (s.u !== undefined && s.v !== undefined) {
    for (const [axis, m] of [
      ['u', s.u],
      ['v', s.v],
    ] as const) {
      if (m.length !== n)
        throw new Error(`${label}: ${axis} map has ${m.length} values but the image is ${s.width}×${s.height} (${n} pixels)`);
    }
    for (let i = 0; i < n; i++) {
      const u = s.u[i]!;
      const v = s.v[i]!;
      if (!Number.isFinite(u) || !Number.isFinite(v))
        throw new Error(`${label}: U-V at pixel (${i % s.width}, ${Math.floor(i / s.width)}) is not finite (${u}, ${v})`);
      if (u < 0 !== v < 0)
        throw new Error(`${label}: U and V masks differ at pixel (${i % s.width}, ${Math.floor(i / s.width)}): u ${u}, v ${v}`);
      if (u > 1 || v > 1 || (u < 0 && u !== -1) || (v < 0 && v !== -1)) {
        throw new Error(`${label}: U-V at pixel (${i % s.width}, ${Math.floor(i / s.width)}) must be in [0, 1] or −1, got (${u}, ${v})`);
      }
    }
  }
  if (s.landmarks !== undefined) {
    if (s.landmarks.length !== 136) throw new Error(`${label}: landmarks must be 68 points (136 values), got ${s.landmarks.length / 2}`);
    if (!s.landmarks.every(Number.isFinite)) throw new Error(`${label}: landmarks contain non-finite values`);
  }
}

/** Image [H, W, 3] (0–255) → float32 with DeepLab's RGB mean subtracted, the network's input. */
export function normalizeImage(image: tf.Tensor3D | tf.Tensor4D): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.cast(image, 'float32'), tf.tensor1d([...DEEPLAB_RGB_MEAN])));
}

/** Samples of one size → normalised images [B, H, W, 3] and, when every sample has them, U and V [B, H, W]. */
export function sampleBatch(samples: readonly DenseRegSample[]): { x: tf.Tensor4D; u?: tf.Tensor3D; v?: tf.Tensor3D } {
  if (samples.length === 0) throw new Error('sampleBatch: no samples');
  const { width: w, height: h } = samples[0]!;
  const n = w * h;
  const image = new Float32Array(samples.length * 3 * n);
  const withUV = samples.every((s) => s.u !== undefined);
  const u = withUV ? new Float32Array(samples.length * n) : undefined;
  const v = withUV ? new Float32Array(samples.length * n) : undefined;
  samples.forEach((s, b) => {
    if (s.width !== w || s.height !== h) {
      throw new Error(`sampleBatch: sample '${s.name ?? b}' is ${s.width}×${s.height}, the batch's first is ${w}×${h}`);
    }
    image.set(s.image, b * 3 * n);
    u?.set(s.u!, b * n);
    v?.set(s.v!, b * n);
  });
  return tf.tidy(() => {
    const raw = tf.tensor4d(image, [samples.length, h, w, 3]);
    const x = normalizeImage(raw) as tf.Tensor4D;
    if (!u || !v) return { x };
    return { x, u: tf.tensor3d(u, [samples.length, h, w]), v: tf.tensor3d(v, [samples.length, h, w]) };
  });
}
