/**
 * End2You's label files and input lists (upstream `data_generator/file_reader.py`), read and written here.
 *
 * A label file is a CSV: header `time,<label 1>,<label 2>,…`, then one row per time t_i; the labels of row i
 * cover [t_i, t_{i+1}), so the last row only closes the previous step (S = rows − 1 steps). Times must rise
 * by a constant Δt (upstream reads Δt from the first two rows and assumes it everywhere).
 *
 * An input list is a CSV: a header, then one row per input, `<raw file>[,<raw file>…],<label file>`; several
 * raw files (e.g. a video and a physiological CSV) feed one HDF5 file. Paths are relative to the list's folder
 * and must stay inside it; absolute paths are read only when allowed (`allowAbsolute`).
 *
 * Numbers are plain decimals (`0x10`, `Infinity` and `1e999` are errors, not 16 or ∞).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decimalNumber, resolveInside, writeFileAtomic, type ResolveInsideOptions } from '@facelab/runtime';

/** A parsed label file. */
export interface LabelFile {
  /** Label column names (the header after `time`). */
  names: string[];
  /** Start time of each step, seconds (S values). */
  times: number[];
  /** Seconds per step (Δt). */
  step: number;
  /** [S, L] labels, row-major. */
  values: Float32Array;
}

/** Relative tolerance on Δt between rows (label files print times with a few digits). */
const STEP_TOLERANCE = 1e-3;

function splitCsvLine(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${what}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Parses label-file text; `name` identifies it in errors (file:row). */
export function parseLabelFile(text: string, name = '<labels>'): LabelFile {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${name}: empty label file`);
  const header = splitCsvLine(lines[0]!);
  if (header[0]!.toLowerCase() !== 'time') {
    throw new Error(`${name}:1: the first column must be 'time' (header '${lines[0]}'); label rows are time,label1,label2,…`);
  }
  if (header.length < 2) throw new Error(`${name}:1: no label columns after 'time'`);
  const repeated = header.find((h, j) => header.indexOf(h) !== j);
  if (repeated !== undefined) throw new Error(`${name}:1: column '${repeated}' appears twice in the header`);
  if (lines.length < 3) throw new Error(`${name}: needs at least 2 rows after the header (a step is [t_i, t_{i+1}))`);
  const rows = lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) throw new Error(`${name}:${i + 2}: ${cells.length} columns, the header has ${header.length}`);
    return cells.map((c, j) => {
      const v = decimalNumber(c);
      if (!Number.isFinite(v)) throw new Error(`${name}:${i + 2}: column '${header[j]}' is not a number: '${c}'`);
      return v;
    });
  });
  const times = rows.map((r) => r[0]!);
  const step = times[1]! - times[0]!;
  for (let i = 1; i < times.length; i++) {
    const dt = times[i]! - times[i - 1]!;
    if (!(dt > 0)) throw new Error(`${name}:${i + 2}: time ${times[i]} does not increase (previous row: ${times[i - 1]})`);
    if (Math.abs(dt - step) > STEP_TOLERANCE * step) {
      throw new Error(`${name}:${i + 2}: step ${dt.toPrecision(6)} s differs from the first step ${step.toPrecision(6)} s; times must be evenly spaced`);
    }
  }
  const steps = rows.length - 1;
  const l = header.length - 1;
  const values = new Float32Array(steps * l);
  for (let s = 0; s < steps; s++) for (let j = 0; j < l; j++) values[s * l + j] = rows[s]![j + 1]!;
  return { names: header.slice(1), times: times.slice(0, steps), step, values };
}

/** Reads a label file (see the module comment). */
export async function readLabelFile(path: string): Promise<LabelFile> {
  return parseLabelFile(await readText(path, 'readLabelFile'), path);
}

/** Writes a label file atomically: `values` [S, L] at `times`, with a closing row at t_S + Δt repeating the last labels. */
export async function writeLabelFile(path: string, labels: Pick<LabelFile, 'names' | 'times' | 'step' | 'values'>): Promise<void> {
  const { names, times, step, values } = labels;
  const l = names.length;
  if (values.length !== times.length * l) throw new Error(`writeLabelFile: ${values.length} values for ${times.length} steps × ${l} labels`);
  const row = (t: number, s: number) => [t.toFixed(6), ...Array.from(values.subarray(s * l, s * l + l), (v) => String(v))].join(',');
  const lines = ['time,' + names.join(','), ...times.map((t, s) => row(t, s)), row(times[times.length - 1]! + step, times.length - 1)];
  await writeFileAtomic(path, lines.join('\n') + '\n');
}

/**
 * Samples (or frames) per step: rate·Δt, rounded when within 1e-3 of an integer (label times are printed with
 * a few digits: 0.033333 s × 30 fps is 1 frame), else truncated as upstream's int(rate·Δt).
 */
export function samplesPerStep(rate: number, step: number): number {
  const x = rate * step;
  const r = Math.round(x);
  const n = Math.abs(x - r) <= STEP_TOLERANCE * Math.max(1, r) ? r : Math.floor(x);
  if (!(n >= 1)) throw new Error(`samplesPerStep: ${rate} /s × ${step} s is less than one sample per step`);
  return n;
}

/** One row of an input list: raw files and the label file. */
export interface InputRow {
  raw: string[];
  labels: string;
  /** 1-based line in the list, for errors. */
  line: number;
}

/**
 * Parses input-list text; paths resolve inside `baseDir` (absolute ones only with `allowAbsolute`); `name`
 * identifies the list in errors.
 */
export function parseInputList(text: string, baseDir: string, name = '<input list>', options: ResolveInsideOptions = {}): InputRow[] {
  const lines = text.split(/\r?\n/);
  const rows: InputRow[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return; // header
    const cells = splitCsvLine(line);
    if (cells.length < 2 || cells.some((c) => c === '')) {
      throw new Error(`${name}:${i + 1}: expected 'raw file[,raw file…],label file', got '${line}'`);
    }
    const abs = (p: string) => {
      try {
        return resolveInside(baseDir, p, options);
      } catch (err) {
        throw new Error(`${name}:${i + 1}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    };
    rows.push({ raw: cells.slice(0, -1).map(abs), labels: abs(cells[cells.length - 1]!), line: i + 1 });
  });
  if (rows.length === 0) throw new Error(`${name}: no rows after the header`);
  return rows;
}

/** Reads an input list (see the module comment). */
export async function readInputList(path: string, options: ResolveInsideOptions = {}): Promise<InputRow[]> {
  return parseInputList(await readText(path, 'readInputList'), dirname(resolve(path)), path, options);
}
