/**
 * Evaluation of dense U-V prediction: per image the U-V error (mean over pixels that are foreground in both
 * ground truth and prediction of (|û − u| + |v̂ − v|)/2), the foreground IoU, and — when the sample has
 * landmarks and a template is given — the 68-point NME normalised by the inter-ocular (outer eye corner)
 * distance, 300-W convention; means over images, and a per-image CSV.
 */
import { tf } from '@facelab/core-tensor';
import { nme } from '@facelab/metrics';
import { writeCsv } from '@facelab/runtime';
import type { DenseRegSample } from '../data/sample.js';
import { predictUV, type DecodeOptions, type UVMaps } from './decode.js';
import { landmarksFromUV } from './landmarks.js';

/** Errors of one image. */
export interface DenseRegImageResult {
  name: string;
  /** Mean U-V error over pixels foreground in both (NaN when there are none or no ground truth). */
  uvError: number;
  /** Foreground intersection over union (NaN without ground truth). */
  iou: number;
  /** Landmark NME (NaN without landmarks or template). */
  nme: number;
  /** Landmarks from U-V, [x0, y0, …] (absent without a template). */
  landmarks?: Float32Array;
}

/** Mean results over images (each mean skips the images where its value is NaN). */
export interface DenseRegEvaluation {
  uvError: number;
  iou: number;
  nme: number;
  images: DenseRegImageResult[];
}

/** Options of {@link evaluateDenseReg}. */
export interface EvaluateDenseRegOptions extends DecodeOptions {
  /** Template landmark (u, v) pairs (136 values) for landmark NME. */
  template?: Float32Array;
  /** Write the per-image rows here (CSV). */
  csv?: string;
  /** Images per forward pass (default 4). */
  batchSize?: number;
}

/** U-V error and foreground IoU of a prediction against a sample's ground truth. */
export function uvErrorAndIou(pred: UVMaps, sample: DenseRegSample): { uvError: number; iou: number } {
  if (!sample.u || !sample.v) return { uvError: Number.NaN, iou: Number.NaN };
  if (pred.u.length !== sample.u.length)
    throw new Error(`uvErrorAndIou: prediction has ${pred.u.length} pixels, sample '${sample.name}' ${sample.u.length}`);
  let err = 0;
  let both = 0;
  let union = 0;
  for (let i = 0; i < pred.u.length; i++) {
    const p = pred.u[i]! >= 0;
    const g = sample.u[i]! >= 0;
    if (p || g) union++;
    if (p && g) {
      both++;
      err += (Math.abs(pred.u[i]! - sample.u[i]!) + Math.abs(pred.v[i]! - sample.v[i]!)) / 2;
    }
  }
  return { uvError: both > 0 ? err / both : Number.NaN, iou: union > 0 ? both / union : Number.NaN };
}

function meanOf(values: number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : Number.NaN;
}

/** Predicts every sample and scores it; writes the CSV when asked. */
export async function evaluateDenseReg(
  model: tf.LayersModel,
  samples: readonly DenseRegSample[],
  options: EvaluateDenseRegOptions = {}
): Promise<DenseRegEvaluation> {
  if (options.template && options.template.length !== 136)
    throw new Error(`evaluateDenseReg: template must hold 68 (u, v) pairs, got ${options.template.length / 2}`);
  const preds = predictUV(model, samples, options);
  const images = samples.map((s, i): DenseRegImageResult => {
    const pred = preds[i]!;
    const { uvError, iou } = uvErrorAndIou(pred, s);
    const landmarks = options.template ? landmarksFromUV(pred, options.template) : undefined;
    const ok = landmarks !== undefined && s.landmarks !== undefined && landmarks.every(Number.isFinite);
    const err = ok
      ? nme(
          [Array.from({ length: 68 }, (_, k) => [landmarks[2 * k]!, landmarks[2 * k + 1]!])],
          [Array.from({ length: 68 }, (_, k) => [s.landmarks![2 * k]!, s.landmarks![2 * k + 1]!])]
        )
      : Number.NaN;
    return { name: s.name ?? String(i), uvError, iou, nme: err, ...(landmarks ? { landmarks } : {}) };
  });
  const result = {
    uvError: meanOf(images.map((r) => r.uvError)),
    iou: meanOf(images.map((r) => r.iou)),
    nme: meanOf(images.map((r) => r.nme)),
    images,
  };
  if (options.csv) {
    const f = (x: number) => (Number.isNaN(x) ? '' : x.toFixed(6));
    await writeCsv(
      options.csv,
      images.map((r) => [r.name, f(r.uvError), f(r.iou), f(r.nme)]),
      { header: ['image', 'uv_error', 'foreground_iou', 'nme'] }
    );
  }
  return result;
}
