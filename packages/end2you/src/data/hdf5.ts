/**
 * End2You's HDF5 files (upstream's PyTorch generation, `data_generator/*_generator.py`), read and written with
 * h5wasm (the HDF5 C library compiled to WebAssembly). One file per input:
 *   datasets (float32): audio [S, T], visual [S, F, 3, H, W], physio [S, T_p, C], labels [S, L]
 *   attributes: data_file, label_file, seq_num (S), num_samples (T, F, T_p in that order for the modalities
 *   present: a number for one, a list for several), label_names.
 * Upstream writes seq_num = S − 1; files from upstream are read by their dataset shapes, which are exact.
 */
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Modality } from '../model/end2you.js';

/** A float32 array with its shape (row-major). */
export interface Float32Block {
  data: Float32Array;
  shape: number[];
}

/** The contents of one End2You HDF5 file. */
export interface End2YouRecord {
  /** [S, T] raw audio frames, T samples per step. */
  audio?: Float32Block;
  /** [S, F, 3, H, W] face crops, F frames per step, channels first, values 0–255. */
  visual?: Float32Block;
  /** [S, T_p, C] physiological samples per step. */
  physio?: Float32Block;
  /** [S, L] labels per step. */
  labels: Float32Block;
  labelNames: string[];
  dataFile: string;
  labelFile: string;
}

const RANKS: Record<Modality | 'labels', number> = { audio: 2, visual: 5, physio: 3, labels: 2 };

type H5Wasm = (typeof import('h5wasm/node'))['default'];
let loaded: Promise<H5Wasm> | undefined;
/**
 * h5wasm, loaded and initialised on first use. A dynamic import: h5wasm is ESM only (its exports have no
 * `require` condition), so a static import would make the CommonJS build throw ERR_PACKAGE_PATH_NOT_EXPORTED.
 */
async function h5(): Promise<H5Wasm> {
  loaded ??= import('h5wasm/node').then(async ({ default: lib }) => {
    await lib.ready;
    return lib;
  });
  return loaded;
}

/** The modalities a record holds, in input order. */
export function recordModalities(record: Pick<End2YouRecord, Modality>): Modality[] {
  return (['audio', 'visual', 'physio'] as const).filter((m) => record[m] !== undefined);
}

/** Per-step sample counts (T, F, T_p) of the record's modalities, as the num_samples attribute lists them. */
function numSamples(record: End2YouRecord): number[] {
  return recordModalities(record).map((m) => record[m]!.shape[1]!);
}

/** Checks a record's shapes agree (S steps everywhere, ranks as the layout says). */
function checkRecord(record: End2YouRecord, where: string): number {
  const steps = record.labels.shape[0]!;
  for (const key of [...recordModalities(record), 'labels'] as const) {
    const block = record[key]!;
    const size = block.shape.reduce((a, b) => a * b, 1);
    if (block.shape.length !== RANKS[key]) throw new Error(`${where}: dataset '${key}' has shape [${block.shape}], expected rank ${RANKS[key]}`);
    if (block.data.length !== size) throw new Error(`${where}: dataset '${key}' holds ${block.data.length} values, its shape [${block.shape}] needs ${size}`);
    if (block.shape[0] !== steps) throw new Error(`${where}: dataset '${key}' has ${block.shape[0]} steps, labels have ${steps}`);
  }
  if (record.labelNames.length !== record.labels.shape[1]) {
    throw new Error(`${where}: ${record.labelNames.length} label names for ${record.labels.shape[1]} label columns`);
  }
  if (recordModalities(record).length === 0) throw new Error(`${where}: no audio, visual or physio dataset`);
  return steps;
}

/**
 * Writes a record as an End2You HDF5 file, atomically: into a temporary file beside `path`, renamed over it
 * when complete, so an interrupted or failed write leaves no partial `path`.
 */
export async function writeEnd2YouHdf5(path: string, record: End2YouRecord): Promise<void> {
  const steps = checkRecord(record, `writeEnd2YouHdf5: ${path}`);
  const lib = await h5();
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const file = new lib.File(tmp, 'w');
    try {
      for (const key of [...recordModalities(record), 'labels'] as const) {
        const block = record[key]!;
        file.create_dataset({ name: key, data: block.data, shape: block.shape, dtype: '<f' });
      }
      file.create_attribute('data_file', record.dataFile);
      file.create_attribute('label_file', record.labelFile);
      file.create_attribute('seq_num', steps);
      const counts = numSamples(record);
      if (counts.length === 1) file.create_attribute('num_samples', counts[0]!);
      else file.create_attribute('num_samples', counts, [counts.length]);
      file.create_attribute('label_names', record.labelNames, [record.labelNames.length]);
    } finally {
      file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function attrText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return String(value);
}

/**
 * Reads an End2You HDF5 file (ours or upstream's), checking its layout: float datasets of the ranks above with
 * one step count, labels and label_names. Errors name the file and the dataset or attribute.
 */
export async function readEnd2YouHdf5(path: string): Promise<End2YouRecord> {
  const lib = await h5();
  const where = `readEnd2YouHdf5: ${path}`;
  let file: InstanceType<typeof lib.File>;
  try {
    file = new lib.File(path, 'r');
  } catch (err) {
    throw new Error(`${where}: not a readable HDF5 file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (file.file_id < 0n) throw new Error(`${where}: not a readable HDF5 file`);
  try {
    const keys = file.keys();
    if (!keys.includes('labels')) throw new Error(`${where}: no 'labels' dataset (has ${keys.join(', ') || 'nothing'}); not an End2You file`);
    const block = (key: Modality | 'labels'): Float32Block | undefined => {
      if (!keys.includes(key)) return undefined;
      const d = file.get(key);
      if (!(d instanceof lib.Dataset)) throw new Error(`${where}: '${key}' is not a dataset`);
      const shape = (d.shape ?? []).map(Number);
      if (shape.length !== RANKS[key]) throw new Error(`${where}: dataset '${key}' has shape [${shape}], expected rank ${RANKS[key]}`);
      const value = d.value;
      if (!(ArrayBuffer.isView(value) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array))) {
        throw new Error(`${where}: dataset '${key}' is not numeric (dtype ${String(d.dtype)})`);
      }
      return { data: value instanceof Float32Array ? value : Float32Array.from(value as ArrayLike<number>), shape };
    };
    const attrs = file.attrs;
    const names = attrs['label_names']?.value;
    const labels = block('labels')!;
    const record: End2YouRecord = {
      labels,
      labelNames: Array.isArray(names) ? names.map(String) : names === undefined ? [] : [String(names)],
      dataFile: attrText(attrs['data_file']?.value ?? ''),
      labelFile: attrText(attrs['label_file']?.value ?? ''),
    };
    for (const m of ['audio', 'visual', 'physio'] as const) {
      const b = block(m);
      if (b) record[m] = b;
    }
    if (names === undefined) throw new Error(`${where}: no 'label_names' attribute`);
    checkRecord(record, where);
    return record;
  } finally {
    file.close();
  }
}
