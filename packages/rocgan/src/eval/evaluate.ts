/**
 * Evaluation as the reference's `evaluate_cond_gener` defines it, with its MAE fixed: per image SSIM (valid
 * 11×11 Gaussian window, σ = 1.5, channel mean), MAE on 8-bit images computed in float (the reference subtracts
 * uint8 arrays, which wraps around), and PSNR; CSV per image and mean ± std.
 */
import { tf } from '@facelab/core-tensor';
import { psnr, ssim } from '@facelab/metrics';
import { Rng, writeCsv } from '@facelab/runtime';
import { toPixels, type CorruptionOptions } from '../data/corruptions.js';
import { loadBatch, type ImageSource } from '../data/source.js';
import type { RocGan } from '../model/rocgan.js';
import { predictRocGan } from './predict.js';

/** The three scores of one image pair. */
export interface ImageScores {
  ssim: number;
  mae: number;
  psnr: number;
}

/** True mean absolute error of two 8-bit images (any equal-length arrays), in pixel units [0, 255]. */
export function imageMae(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`imageMae: ${a.length} values vs ${b.length}`);
  if (a.length === 0) throw new Error('imageMae: empty images');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/**
 * SSIM, MAE and PSNR of an 8-bit prediction against its 8-bit target, both interleaved [size, size, c].
 * SSIM is @facelab/metrics' `ssim(…, { dataRange: 255 })`: its valid-region Gaussian SSIM equals the reference's
 * `RGBSSIM` (11×11, σ 1.5, K = 0.01/0.03, mean of the per-channel SSIMs) on images scaled to [0, 1].
 */
export function imageScores(prediction: ArrayLike<number>, target: ArrayLike<number>, size: number, channels = 3): ImageScores {
  const n = size * size * channels;
  if (prediction.length !== n || target.length !== n) {
    throw new Error(`imageScores: expected ${size}×${size}×${channels} = ${n} values, got ${prediction.length} and ${target.length}`);
  }
  const asImage = (d: ArrayLike<number>) => ({ shape: [size, size, channels], dataSync: () => d });
  return {
    ssim: ssim(asImage(prediction), asImage(target), { dataRange: 255 }),
    mae: imageMae(prediction, target),
    psnr: psnr(asImage(prediction), asImage(target), { dataRange: 255 }),
  };
}

/** Mean and (population) standard deviation of each score. */
export interface ScoreSummary {
  mean: ImageScores;
  std: ImageScores;
}

/** Mean ± std of a list of scores. */
export function summarizeScores(rows: ImageScores[]): ScoreSummary {
  if (rows.length === 0) throw new Error('summarizeScores: no scores');
  const keys = ['ssim', 'mae', 'psnr'] as const;
  const mean = Object.fromEntries(keys.map((k) => [k, rows.reduce((s, r) => s + r[k], 0) / rows.length])) as unknown as ImageScores;
  const std = Object.fromEntries(
    keys.map((k) => [k, Math.sqrt(rows.reduce((s, r) => s + (r[k] - mean[k]) ** 2, 0) / rows.length)]),
  ) as unknown as ImageScores;
  return { mean, std };
}

/** Options of {@link evaluateRocGan}. */
export interface EvaluateOptions {
  /** Corruption of unpaired sources (default: sparse, 50 % missing). */
  corruption?: CorruptionOptions;
  /** Seed of the test corruptions (default 0), so every model sees the same inputs. */
  seed?: number;
  /** Images per forward pass (default 32). */
  batchSize?: number;
  /** Use the EMA generator (default true). */
  ema?: boolean;
  /** Write per-image scores here (columns name, ssim, mae, psnr). */
  csv?: string;
  /** Evaluate only the first `limit` images. */
  limit?: number;
  /** Receives each batch's inputs, predictions and targets as 8-bit arrays (figures). */
  onBatch?: (batch: { names: string[]; inputs: Uint8Array[]; predictions: Uint8Array[]; targets: Uint8Array[] }) => void;
}

/** Per-image scores and their summary. */
export interface EvaluateResult extends ScoreSummary {
  rows: (ImageScores & { name: string })[];
}

function split(values: ArrayLike<number>, n: number): Uint8Array[] {
  const all = toPixels(values);
  const len = all.length / n;
  return Array.from({ length: n }, (_, i) => all.subarray(i * len, (i + 1) * len));
}

/** Restores every image of `source` (corrupted with a fixed seed) and scores it against its clean target. */
export async function evaluateRocGan(net: RocGan, source: ImageSource, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const size = net.architecture.imageSize;
  if (source.imageSize !== size)
    throw new Error(`evaluateRocGan: the data has ${source.imageSize}×${source.imageSize} images, the model expects ${size}×${size}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new Error(`evaluateRocGan: batchSize must be a positive integer, got ${batchSize}`);
  const total = Math.min(source.length, options.limit ?? source.length);
  const rng = new Rng(options.seed ?? 0);
  const rows: EvaluateResult['rows'] = [];
  for (let start = 0; start < total; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, total - start) }, (_, k) => start + k);
    const { x, y } = await loadBatch(source, indices, rng, { corruption: options.corruption });
    const pred = predictRocGan(net, x, { ema: options.ema });
    // y holds the 8-bit targets exactly (v/128 − 1 is exact in float32 and no dequantisation is added here).
    const [predictions, inputs, targets] = [pred, x, y].map((t) => split(t.dataSync(), indices.length)) as [
      Uint8Array[],
      Uint8Array[],
      Uint8Array[],
    ];
    tf.dispose([x, y, pred]);
    const names = indices.map((i) => source.name(i));
    indices.forEach((_, k) =>
      rows.push({ name: names[k]!, ...imageScores(predictions[k]!, targets[k]!, size, net.architecture.imageChannels) }),
    );
    options.onBatch?.({ names, inputs, predictions, targets });
  }
  if (options.csv) {
    await writeCsv(
      options.csv,
      rows.map((r) => [r.name, r.ssim, r.mae, r.psnr]),
      { header: ['name', 'ssim', 'mae', 'psnr'] },
    );
  }
  return { rows, ...summarizeScores(rows) };
}
