/**
 * From network output to U-V maps: quantized heads decode per pixel as û = (q̂ + r̂_q̂ − 1)/K with q̂ the
 * arg-max class (quantized-regression.ts); a pixel is foreground when both axes' q̂ ≠ 0 (the released
 * CombineRegressions layer marks each axis separately). The direct ablation reads û, v̂ where its 2-way head
 * says foreground. Background is −1 in both maps.
 */
import { tf } from '@facelab/core-tensor';
import type { DenseRegHead } from '../model/densereg-net.js';
import { sampleBatch, type DenseRegSample } from '../data/sample.js';

/** Options of {@link decodeDenseReg} and {@link predictUV}. */
export interface DecodeOptions {
  /** 'quantized' (default) or 'direct', as the network was built. */
  head?: DenseRegHead;
  /** Bins K (default 10). */
  bins?: number;
}

/** Decoded U and V [B, H, W] (−1 on background). */
export interface DecodedUV {
  u: tf.Tensor3D;
  v: tf.Tensor3D;
}

/** Decodes network output [B, H, W, C] into U and V maps. */
export function decodeDenseReg(output: tf.Tensor, options: DecodeOptions = {}): DecodedUV {
  const head = options.head ?? 'quantized';
  const k = options.bins ?? 10;
  const channels = head === 'quantized' ? 2 * (2 * k + 1) : 4;
  if (output.rank !== 4 || output.shape[3] !== channels)
    throw new Error(`decodeDenseReg: output must be [B, H, W, ${channels}], got [${output.shape}]`);
  return tf.tidy(() => {
    let u: tf.Tensor;
    let v: tf.Tensor;
    let fg: tf.Tensor;
    if (head === 'quantized') {
      const axis = (offset: number) => {
        const q = tf.argMax(tf.slice(output, [0, 0, 0, offset], [-1, -1, -1, k + 1]), -1);
        const residuals = tf.slice(output, [0, 0, 0, offset + k + 1], [-1, -1, -1, k]);
        const r = tf.sum(tf.mul(residuals, tf.oneHot(tf.cast(tf.sub(q, 1), 'int32'), k)), -1);
        return { q, value: tf.div(tf.sub(tf.add(tf.cast(q, 'float32'), r), 1), k) };
      };
      const a = axis(0);
      const b = axis(2 * k + 1);
      u = a.value;
      v = b.value;
      fg = tf.logicalAnd(tf.greater(a.q, 0), tf.greater(b.q, 0));
    } else {
      fg = tf.equal(tf.argMax(tf.slice(output, [0, 0, 0, 0], [-1, -1, -1, 2]), -1), 1);
      [u, v] = tf.unstack(tf.slice(output, [0, 0, 0, 2], [-1, -1, -1, 2]), 3) as [tf.Tensor, tf.Tensor];
    }
    const bg = tf.fill(u.shape, -1);
    return { u: tf.where(fg, u, bg) as tf.Tensor3D, v: tf.where(fg, v, bg) as tf.Tensor3D };
  });
}

/** Predicted U and V maps of one image, as arrays (−1 on background). */
export interface UVMaps {
  width: number;
  height: number;
  u: Float32Array;
  v: Float32Array;
}

/** Runs `model` on samples (any sizes; batched per size, `batchSize` at a time) and decodes their U-V maps. */
export function predictUV(
  model: tf.LayersModel,
  samples: readonly DenseRegSample[],
  options: DecodeOptions & { batchSize?: number } = {}
): UVMaps[] {
  const batchSize = options.batchSize ?? 4;
  const out: UVMaps[] = new Array(samples.length);
  for (let start = 0; start < samples.length; ) {
    const { width, height } = samples[start]!;
    let end = start + 1;
    while (end < samples.length && end - start < batchSize && samples[end]!.width === width && samples[end]!.height === height) end++;
    const batch = sampleBatch(samples.slice(start, end).map((s) => ({ width: s.width, height: s.height, image: s.image, name: s.name })));
    const output = model.predict(batch.x) as tf.Tensor;
    const decoded = decodeDenseReg(output, options);
    const n = width * height;
    const u = decoded.u.dataSync() as Float32Array;
    const v = decoded.v.dataSync() as Float32Array;
    for (let i = start; i < end; i++) {
      const o = (i - start) * n;
      out[i] = { width, height, u: u.slice(o, o + n), v: v.slice(o, o + n) };
    }
    tf.dispose([batch.x, output, decoded.u, decoded.v]);
    start = end;
  }
  return out;
}
