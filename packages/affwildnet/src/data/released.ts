/**
 * The released AffWildNet data format: a CSV of `path,valence,arousal` rows (no header), one row per frame
 * in order, cut into non-overlapping sequences of 80 frames. The short remainder is dropped or padded (the
 * last frame repeated, mask 0). Read with {@link readAffWildCsv}, written with {@link writeAffWildCsv}.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { checkPositiveInt, readCsvRows, resolveInside, writeCsv, type ResolveInsideOptions } from '@facelab/runtime';
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
export interface ReadAffWildCsvOptions extends ResolveInsideOptions {
  /** Frames per sequence (default 80). */
  length?: number;
  /** 'drop' (default) the remainder shorter than `length`, or 'mask': pad it and mark the padding 0. */
  remainder?: 'drop' | 'mask';
}

/**
 * Reads and checks a released-format CSV as one sequence of all its frames. A frame path must lie inside the
 * CSV's folder (`../x` is a PathOutsideRootError naming the row; absolute paths only with `allowAbsolute`).
 */
async function readFrameRows(csvPath: string, paths: ResolveInsideOptions = {}): Promise<AffWildSequence> {
  const base = dirname(csvPath);
  const frames: { path: string; label: [number, number]; source: string }[] = [];
  for await (const row of readCsvRows(csvPath, { header: false })) {
    if (row.fields.length !== 3) throw new Error(`${csvPath}:${row.line}: expected 3 fields path,valence,arousal, got ${row.fields.length}`);
    const [p, v, a] = row.fields as [string, string, string];
    if (p === '') throw new Error(`${csvPath}:${row.line}: empty frame path`);
    let path: string;
    try {
      path = resolveInside(base, p, paths);
    } catch (err) {
      throw new Error(`${csvPath}:${row.line}: frame path ${(err as Error).message}`, { cause: err });
    }
    frames.push({
      path,
      label: [parseAffect(v, csvPath, row.line, 'valence'), parseAffect(a, csvPath, row.line, 'arousal')],
      source: `${csvPath}:${row.line}`,
    });
  }
  if (frames.length === 0) throw new Error(`${csvPath}: no frames`);
  return {
    paths: frames.map((f) => f.path),
    labels: frames.map((f) => f.label),
    mask: frames.map(() => 1),
    sources: frames.map((f) => f.source),
  };
}

/**
 * Reads and checks a released-format CSV into sequences: all rows in file order cut into windows of `length`
 * (as the released eval_script.py does, so a window may span two videos). Errors name the file and line.
 * Frame paths must stay inside the CSV's folder; absolute ones need `allowAbsolute`.
 */
export async function readAffWildCsv(csvPath: string, options: ReadAffWildCsvOptions = {}): Promise<AffWildSequence[]> {
  const length = checkPositiveInt(options.length ?? 80, 'readAffWildCsv: length');
  return splitSequence(await readFrameRows(csvPath, options), length, options.remainder ?? 'drop');
}

/**
 * Reads a released-format CSV whose frames lie in one folder per utterance (`<video>/<utterance>/<frame>.jpg`,
 * as OMG-Emotion utterances are extracted) into one sequence per folder, in order of first appearance, each
 * padded to the longest with its last frame and mask 0 so that {@link loadSequences} takes them together.
 * A frame's label is its utterance's (OMG repeats it on every row). Frame paths are checked as by
 * {@link readAffWildCsv} (`allowAbsolute` admits absolute ones).
 */
export async function readUtteranceCsv(csvPath: string, options: ResolveInsideOptions = {}): Promise<AffWildSequence[]> {
  const whole = await readFrameRows(csvPath, options);
  const groups = new Map<string, number[]>();
  whole.paths.forEach((p, t) => {
    const rows = groups.get(dirname(p)) ?? [];
    groups.set(dirname(p), rows);
    rows.push(t);
  });
  const longest = Math.max(...[...groups.values()].map((rows) => rows.length));
  return [...groups.values()].map((rows) => {
    const padded = [...rows, ...new Array<number>(longest - rows.length).fill(rows[rows.length - 1]!)];
    return {
      paths: padded.map((t) => whole.paths[t]!),
      labels: padded.map((t) => whole.labels[t]!),
      mask: padded.map((_, k) => (k < rows.length ? 1 : 0)),
      sources: padded.map((t) => whole.sources[t]!),
    };
  });
}

/**
 * The video of every real (mask 1) frame of each sequence: the name of the folder holding the frame
 * (`frames/<video>/00001.jpg` in the released and Aff-Wild layouts), for {@link evaluateAffect}'s `videos`.
 */
export function sequenceVideos(sequences: readonly AffWildSequence[]): string[][] {
  return sequences.map((s) => s.paths.filter((_, t) => s.mask[t] === 1).map((p) => basename(dirname(p))));
}

/**
 * The utterance of each sequence read by {@link readUtteranceCsv}: its frame folder relative to `csvPath`'s
 * folder (e.g. `frames/<video>/<utterance>`).
 */
export function sequenceUtterances(sequences: readonly AffWildSequence[], csvPath: string): string[] {
  return sequences.map((s) => relative(dirname(csvPath), dirname(s.paths[0]!)));
}

/**
 * Cuts a sequence into non-overlapping windows of `length` (remainder dropped or padded with mask 0). A
 * `length` that is not a positive integer, or another `remainder`, is an error naming the argument.
 */
export function splitSequence(seq: AffWildSequence, length: number, remainder: 'drop' | 'mask' = 'drop'): AffWildSequence[] {
  checkPositiveInt(length, 'splitSequence: length');
  if (remainder !== 'drop' && remainder !== 'mask') throw new Error(`splitSequence: remainder must be 'drop' or 'mask', got ${String(remainder)}`);
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
