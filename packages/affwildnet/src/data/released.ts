/**
 * The released AffWildNet data format: a CSV of `path,valence,arousal` rows (no header), one row per frame
 * in order, cut into non-overlapping sequences of 80 frames. The short remainder is dropped or padded (the
 * last frame repeated, mask 0). Read with {@link readAffWildCsv}, written with {@link writeAffWildCsv}.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { checkPositiveInt, readCsvRows, writeCsv } from '@facelab/runtime';
import { windowArray, writeImage, type RawImage } from '@facelab/data';
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
  const length = checkPositiveInt(options.length ?? 80, 'readAffWildCsv: length');
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
  const frames = seq.paths.map((path, t) => ({ path, label: seq.labels[t]!, mask: seq.mask[t]!, source: seq.sources[t]! }));
  return windowArray(frames, length, { pad: remainder }).map((w) => ({
    paths: w.items.map((f) => f.path),
    labels: w.items.map((f) => f.label),
    mask: w.items.map((f, k) => (w.mask[k] === 1 ? f.mask : 0)),
    sources: w.items.map((f) => f.source),
  }));
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

/** One video to write in the released format: its folder name and its frames in order. */
export interface AffWildVideo {
  name: string;
  /** 8-bit RGB frames with their gold valence and arousal. */
  frames: readonly { image: RawImage; valence: number; arousal: number }[];
}

const pad = (i: number, n: number) => String(i).padStart(n, '0');
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Writes `videos` in the released layout under `out`: `frames/<name>/<00001>.jpg` per frame and `labels.csv`
 * with rows `frames/<name>/<00001>.jpg,valence,arousal` (no header; paths relative to `out`; labels rounded to
 * 4 decimals), as {@link readAffWildCsv} reads it. Videos are written as they arrive. Returns the CSV path.
 */
export async function writeAffWildCsv(out: string, videos: Iterable<AffWildVideo> | AsyncIterable<AffWildVideo>): Promise<string> {
  const rows: (string | number)[][] = [];
  for await (const video of videos) {
    await mkdir(join(out, 'frames', video.name), { recursive: true });
    for (const [i, f] of video.frames.entries()) {
      const rel = `frames/${video.name}/${pad(i + 1, 5)}.jpg`;
      await writeImage(join(out, rel), f.image);
      rows.push([rel, round4(f.valence), round4(f.arousal)]);
    }
  }
  const csv = join(out, 'labels.csv');
  await writeCsv(csv, rows);
  return csv;
}
