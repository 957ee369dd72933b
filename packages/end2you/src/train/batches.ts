/**
 * Batches of End2You records (upstream `data_provider/`): each file is cut into windows of `seqLength`
 * consecutive steps (the last one shorter), windows are batched, shorter ones zero-padded at the end with a
 * 1/0 step mask. Model inputs: audio [B, S, T]; visual [B, S, H, W, 3] from each step's first frame scaled to
 * [0, 1] (as upstream's visual provider); physio [B, S, T_p, C]; labels [B, S, L].
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { checkPositiveInt, type Rng } from '@facelab/runtime';
import type { Modality } from '../model/end2you.js';
import { readEnd2YouHdf5, recordModalities, type End2YouRecord } from '../data/hdf5.js';

/** A window of consecutive steps of one record. */
export interface SequenceWindow {
  record: number;
  start: number;
  length: number;
}

/** A batch: model inputs in modality order, labels, the step mask and each window's length. */
export interface SequenceBatch {
  inputs: tf.Tensor[];
  labels: tf.Tensor3D;
  mask: tf.Tensor2D;
  lengths: number[];
}

/** Reads every `*.hdf5` file of a directory (sorted by name), with their paths. */
export async function readRecordDir(dir: string): Promise<{ paths: string[]; records: End2YouRecord[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.hdf5') && !n.startsWith('.')).sort();
  } catch (err) {
    throw new Error(`cannot read the data directory ${dir}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (names.length === 0) throw new Error(`no .hdf5 files in ${dir} (run \`facelab-end2you generate\` first)`);
  const paths = names.map((n) => join(dir, n));
  const records: End2YouRecord[] = [];
  for (const p of paths) records.push(await readEnd2YouHdf5(p));
  return { paths, records };
}

/** Checks that records share modalities, per-step sizes and label names; returns the modalities. */
export function checkCompatible(records: End2YouRecord[], paths: string[]): Modality[] {
  const first = records[0]!;
  const modalities = recordModalities(first);
  records.forEach((r, i) => {
    const m = recordModalities(r);
    if (m.join() !== modalities.join()) throw new Error(`${paths[i]}: has ${m.join('+')}, ${paths[0]} has ${modalities.join('+')}`);
    for (const key of modalities) {
      if (r[key]!.shape.slice(1).join() !== first[key]!.shape.slice(1).join()) {
        throw new Error(`${paths[i]}: '${key}' steps are [${r[key]!.shape.slice(1)}], ${paths[0]} has [${first[key]!.shape.slice(1)}]`);
      }
    }
    if (r.labelNames.join() !== first.labelNames.join()) throw new Error(`${paths[i]}: labels ${r.labelNames.join(',')}, ${paths[0]} has ${first.labelNames.join(',')}`);
  });
  return modalities;
}

/** Windows of `seqLength` steps over every record (default: whole records). */
export function windowsOf(records: End2YouRecord[], seqLength?: number): SequenceWindow[] {
  const out: SequenceWindow[] = [];
  records.forEach((r, record) => {
    const steps = r.labels.shape[0]!;
    const len = seqLength === undefined ? steps : checkPositiveInt(seqLength, 'seqLength');
    for (let start = 0; start < steps; start += len) out.push({ record, start, length: Math.min(len, steps - start) });
  });
  return out;
}

/** Splits windows into batches of `batchSize`, shuffled with `rng` when given. */
export function batchWindows(windows: SequenceWindow[], batchSize: number, rng?: Rng): SequenceWindow[][] {
  checkPositiveInt(batchSize, 'batchSize');
  const order = windows.slice();
  if (rng) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const out: SequenceWindow[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

/** Elements per step of a modality's model input, and how to copy one step from the record into it. */
function stepCopier(record: End2YouRecord, m: Modality | 'labels'): { size: number; copy: (step: number, into: Float32Array, at: number) => void } {
  const block = record[m]!;
  if (m !== 'visual') {
    const size = block.shape.slice(1).reduce((a, b) => a * b, 1);
    return { size, copy: (s, into, at) => into.set(block.data.subarray(s * size, (s + 1) * size), at) };
  }
  const [, f, c, h, w] = block.shape as [number, number, number, number, number];
  const plane = h * w;
  const size = plane * c;
  return {
    size,
    // Frame 0 of the step, [3, H, W] → [H, W, 3], scaled to [0, 1].
    copy: (s, into, at) => {
      const base = s * f * size;
      for (let i = 0; i < plane; i++) for (let ch = 0; ch < c; ch++) into[at + i * c + ch] = block.data[base + ch * plane + i]! / 255;
    },
  };
}

/** The model-input shape of one step of modality `m`. */
function stepShape(record: End2YouRecord, m: Modality | 'labels'): number[] {
  const shape = record[m]!.shape;
  return m === 'visual' ? [shape[3]!, shape[4]!, shape[2]!] : shape.slice(1);
}

/** Builds a padded batch of windows (see the module comment). */
export function makeBatch(records: End2YouRecord[], windows: SequenceWindow[], modalities: readonly Modality[]): SequenceBatch {
  const steps = Math.max(...windows.map((w) => w.length));
  const b = windows.length;
  const build = (m: Modality | 'labels'): tf.Tensor => {
    const { size } = stepCopier(records[windows[0]!.record]!, m);
    const data = new Float32Array(b * steps * size);
    windows.forEach((w, i) => {
      const { copy } = stepCopier(records[w.record]!, m);
      for (let s = 0; s < w.length; s++) copy(w.start + s, data, (i * steps + s) * size);
    });
    return tf.tensor(data, [b, steps, ...stepShape(records[windows[0]!.record]!, m)]);
  };
  const mask = new Float32Array(b * steps);
  windows.forEach((w, i) => mask.fill(1, i * steps, i * steps + w.length));
  return {
    inputs: modalities.map(build),
    labels: build('labels') as tf.Tensor3D,
    mask: tf.tensor2d(mask, [b, steps]),
    lengths: windows.map((w) => w.length),
  };
}
