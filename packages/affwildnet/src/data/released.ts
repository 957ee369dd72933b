/**
 * The released AffWildNet data format: a CSV of `path,valence,arousal` rows (no header), one row per frame
 * in order, cut into non-overlapping sequences of 80 frames. The short remainder is dropped or padded (the
 * last frame repeated, mask 0).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { readCsvRows } from '@facelab/runtime';
import { parseAffect } from './checks.js';
import { readFaceFrame } from './frames.js';
import type { ClipSet } from './sets.js';

/** One sequence of the released format. */
export interface AffWildSequence {
  /** Frame image paths (resolved against the CSV's folder). */
  paths: string[];
  /** [valence, arousal] per frame. */
  labels: [number, number][];
  /** 1 = real frame, 0 = padding. */
  mask: number[];
  /** `file:line` of each frame's row (padding repeats the last). */
  sources: string[];
}

/** Options of {@link readAffWildCsv}. */
export interface ReadAffWildCsvOptions {
  /** Frames per sequence (default 80). */
  length?: number;
  /** 'drop' (default) the remainder shorter than `length`, or 'mask': pad it and mark the padding 0. */
  remainder?: 'drop' | 'mask';
}

/** Reads and checks a released-format CSV into sequences. Errors name the file and line. */
export async function readAffWildCsv(csvPath: string, options: ReadAffWildCsvOptions = {}): Promise<AffWildSequence[]> {
  const length = options.length ?? 80;
  if (!Number.isInteger(length) || length < 1) throw new Error(`readAffWildCsv: length must be a positive integer, got ${length}`);
  const remainder = options.remainder ?? 'drop';
  const base = dirname(csvPath);
  const frames: { path: string; label: [number, number]; source: string }[] = [];
  for await (const row of readCsvRows(csvPath, { header: false })) {
    if (row.fields.length !== 3) throw new Error(`${csvPath}:${row.line}: expected 3 fields path,valence,arousal, got ${row.fields.length}`);
    const [p, v, a] = row.fields as [string, string, string];
    if (p === '') throw new Error(`${csvPath}:${row.line}: empty frame path`);
    frames.push({
      path: isAbsolute(p) ? p : resolve(base, p),
      label: [parseAffect(v, csvPath, row.line, 'valence'), parseAffect(a, csvPath, row.line, 'arousal')],
      source: `${csvPath}:${row.line}`,
    });
  }
  if (frames.length === 0) throw new Error(`${csvPath}: no frames`);
  const whole: AffWildSequence = {
    paths: frames.map((f) => f.path),
    labels: frames.map((f) => f.label),
    mask: frames.map(() => 1),
    sources: frames.map((f) => f.source),
  };
  return splitSequence(whole, length, remainder);
}

/** Cuts a sequence into non-overlapping windows of `length` (remainder dropped or padded with mask 0). */
export function splitSequence(seq: AffWildSequence, length: number, remainder: 'drop' | 'mask' = 'drop'): AffWildSequence[] {
  const out: AffWildSequence[] = [];
  for (let s = 0; s < seq.paths.length; s += length) {
    const take = <T>(xs: T[]) => xs.slice(s, s + length);
    const part = { paths: take(seq.paths), labels: take(seq.labels), mask: take(seq.mask), sources: take(seq.sources) };
    const n = part.paths.length;
    if (n < length && remainder === 'drop') break;
    for (let k = n; k < length; k++) {
      part.paths.push(part.paths[n - 1]!);
      part.labels.push(part.labels[n - 1]!);
      part.mask.push(0);
      part.sources.push(part.sources[n - 1]!);
    }
    out.push(part);
  }
  return out;
}

/**
 * Reads the frames of `sequences` (all of one length) into a {@link ClipSet} of `size`×`size` faces.
 * Frames of another size are an error naming the file and its CSV line unless `resize`.
 */
export async function loadSequences(sequences: readonly AffWildSequence[], size: number, resize = false): Promise<ClipSet> {
  if (sequences.length === 0) throw new Error('loadSequences: no sequences');
  const length = sequences[0]!.paths.length;
  const per = size * size * 3;
  const frames = new Float32Array(sequences.length * length * per);
  const labels = new Float32Array(sequences.length * length * 2);
  const mask = new Float32Array(sequences.length * length);
  for (const [i, seq] of sequences.entries()) {
    if (seq.paths.length !== length) {
      throw new Error(`${seq.sources[0]}: sequence ${i} has ${seq.paths.length} frames, expected ${length} like sequence 0`);
    }
    for (let t = 0; t < length; t++) {
      const k = i * length + t;
      try {
        frames.set(await readFaceFrame(seq.paths[t]!, size, !resize), k * per);
      } catch (err) {
        throw new Error(`${seq.sources[t]}: ${(err as Error).message}`, { cause: err });
      }
      labels.set(seq.labels[t]!, k * 2);
      mask[k] = seq.mask[t]!;
    }
  }
  return { frames, labels, mask, count: sequences.length, length, size };
}
