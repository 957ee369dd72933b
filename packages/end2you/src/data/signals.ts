/**
 * Physiological-signal CSVs (ours; upstream reads no physiological files): header `time,<channel 1>,…`, one
 * row per sample at a constant rate (1 / the first time step), plain decimal numbers. Read and written here.
 */
import { readFile } from 'node:fs/promises';
import { decimalNumber, writeFileAtomic } from '@facelab/runtime';

/** A multichannel signal: its rate, channel names and [N, C] samples. */
export interface SignalFile {
  rate: number;
  /** Time of the first sample, seconds. */
  start: number;
  names: string[];
  /** [N, C] row-major. */
  samples: Float32Array;
}

/** Parses signal-CSV text; `name` identifies it in errors (file:row). */
export function parseSignalCsv(text: string, name = '<signal>'): SignalFile {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((c) => c.trim());
  if (header[0]?.toLowerCase() !== 'time' || header.length < 2) {
    throw new Error(`${name}:1: a signal CSV needs a header 'time,<channel>,…', got '${lines[0] ?? ''}'`);
  }
  if (lines.length < 3) throw new Error(`${name}: needs at least 2 samples`);
  const c = header.length - 1;
  const n = lines.length - 1;
  const samples = new Float32Array(n * c);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split(',');
    if (cells.length !== header.length) throw new Error(`${name}:${i + 2}: ${cells.length} columns, the header has ${header.length}`);
    cells.forEach((cell, j) => {
      const v = decimalNumber(cell);
      if (!Number.isFinite(v)) throw new Error(`${name}:${i + 2}: column '${header[j]}' is not a number: '${cell.trim()}'`);
      if (j === 0) times[i] = v;
      else samples[i * c + j - 1] = v;
    });
    if (i > 0 && !(times[i]! > times[i - 1]!)) throw new Error(`${name}:${i + 2}: time ${times[i]} does not increase`);
  }
  return { rate: 1 / (times[1]! - times[0]!), start: times[0]!, names: header.slice(1), samples };
}

/** Reads a signal CSV. */
export async function readSignalCsv(path: string): Promise<SignalFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`readSignalCsv: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseSignalCsv(text, path);
}

/** Writes a signal CSV atomically. */
export async function writeSignalCsv(path: string, signal: SignalFile): Promise<void> {
  const c = signal.names.length;
  const n = signal.samples.length / c;
  const lines = ['time,' + signal.names.join(',')];
  for (let i = 0; i < n; i++) {
    lines.push([(signal.start + i / signal.rate).toFixed(6), ...Array.from(signal.samples.subarray(i * c, i * c + c), (v) => v.toPrecision(6))].join(','));
  }
  await writeFileAtomic(path, lines.join('\n') + '\n');
}
