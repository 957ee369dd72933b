/**
 * Predictions of a model on End2You records: windows of `seqLength` steps (default: whole files), batched and
 * padded, run through the model, and the valid steps stitched back into one [S][outputs] array per file.
 * `predictions.json` holds them per file with the label names; {@link evaluatePredictions} scores such a file.
 */
import { readFile } from 'node:fs/promises';
import { tf } from '@facelab/core-tensor';
import { writeFileAtomic } from '@facelab/runtime';
import type { Modality } from '../model/end2you.js';
import type { End2YouRecord } from '../data/hdf5.js';
import { batchWindows, makeBatch, windowsOf } from '../train/batches.js';
import { scoreSequences, type MetricName, type Scores } from './scores.js';

/** Options of {@link predictRecords}. */
export interface PredictOptions {
  batchSize?: number;
  seqLength?: number;
}

/** Per-file predictions [S][outputs] of `model` on `records` (leaves no tensors). */
export function predictRecords(model: tf.LayersModel, records: End2YouRecord[], modalities: readonly Modality[], options: PredictOptions = {}): number[][][] {
  const out = records.map((r) => new Array<number[]>(r.labels.shape[0]!));
  for (const windows of batchWindows(windowsOf(records, options.seqLength), options.batchSize ?? 4)) {
    const batch = makeBatch(records, windows, modalities);
    try {
      const pred = tf.tidy(() => model.predict(batch.inputs.length === 1 ? batch.inputs[0]! : batch.inputs) as tf.Tensor);
      const values = pred.arraySync() as number[][][];
      pred.dispose();
      windows.forEach((w, i) => {
        for (let s = 0; s < w.length; s++) out[w.record]![w.start + s] = values[i]![s]!;
      });
    } finally {
      tf.dispose(batch as unknown as tf.TensorContainer);
    }
  }
  return out;
}

/** The labels of a record as [S][L] rows. */
export function labelRows(record: End2YouRecord): number[][] {
  const [s, l] = record.labels.shape as [number, number];
  return Array.from({ length: s }, (_, i) => Array.from(record.labels.data.subarray(i * l, (i + 1) * l)));
}

/** Scores per-file predictions against the records' labels. */
export function scoreRecords(predictions: number[][][], records: End2YouRecord[], metric: MetricName): Scores {
  return scoreSequences(
    records.map((r, i) => ({ predictions: predictions[i]!, labels: labelRows(r) })),
    metric,
    records[0]!.labelNames,
  );
}

/** The contents of `predictions.json`. */
export interface PredictionsFile {
  labelNames: string[];
  /** Per HDF5 file: its path, label file, and predictions [S][outputs]. */
  files: { file: string; labelFile: string; predictions: number[][] }[];
}

/** Writes `predictions.json` atomically. */
export async function writePredictions(path: string, predictions: PredictionsFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(predictions) + '\n');
}

/** Reads `predictions.json`, checking its shape. */
export async function readPredictions(path: string): Promise<PredictionsFile> {
  let parsed: PredictionsFile;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as PredictionsFile;
  } catch (err) {
    throw new Error(`readPredictions: ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!Array.isArray(parsed?.files) || !Array.isArray(parsed.labelNames)) throw new Error(`readPredictions: ${path}: expected { labelNames, files: [...] }`);
  return parsed;
}

/** Scores a predictions file against records (matched by HDF5 path, or by label file). */
export function evaluatePredictions(predictions: PredictionsFile, records: End2YouRecord[], paths: string[], metric: MetricName): Scores {
  const byPath = new Map(predictions.files.map((f) => [f.file, f]));
  const byLabel = new Map(predictions.files.map((f) => [f.labelFile, f]));
  const preds = records.map((r, i) => {
    const f = byPath.get(paths[i]!) ?? byLabel.get(r.labelFile);
    if (!f) throw new Error(`evaluate: no predictions for ${paths[i]} (label file ${r.labelFile})`);
    if (f.predictions.length !== r.labels.shape[0]) throw new Error(`evaluate: ${paths[i]}: ${f.predictions.length} predictions for ${r.labels.shape[0]} steps`);
    return f.predictions;
  });
  return scoreRecords(preds, records, metric);
}
