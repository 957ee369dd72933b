/**
 * `generate`: raw files and label files → one End2You HDF5 file per input (upstream `generation_process.py`).
 * Per label step [t_s, t_s + Δt):
 *   audio   T = samplesPerStep(rate, Δt) samples from round(t_s·rate) on, mono (channels averaged), zero-padded
 *           at the end; a WAV at another rate is resampled, a video's soundtrack is decoded by ffmpeg at `rate`;
 *   visual  F = samplesPerStep(fps, Δt) frames with t_s ≤ time < t_s + Δt (missing ones repeat the last),
 *           cropped to `box` (clamped: x to the width, y to the height) or the whole frame, resized to
 *           size × size, stored [F, 3, H, W] in 0–255;
 *   physio  T_p = samplesPerStep(rate_p, Δt) samples from round((t_s − start)·rate_p) on (the last repeated).
 */
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { cropToBox, rawToTensor, readVideoFrames, readWav, resample, resizeImage, tensorToRaw, videoInfo, type PixelBox } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import type { Modality } from '../model/end2you.js';
import { writeEnd2YouHdf5, type End2YouRecord, type Float32Block } from './hdf5.js';
import { readInputList, readLabelFile, samplesPerStep, type InputRow, type LabelFile } from './labels.js';
import { readSignalCsv } from './signals.js';
import { readSoundtrack } from './soundtrack.js';

/** Options of {@link generate} and {@link generateRecord}. */
export interface GenerateOptions {
  /** Audio rate, Hz (default 16000). */
  audioRate?: number;
  /** Video frames per second to sample (default: the file's own). */
  fps?: number;
  /** Face crop size (default 96). */
  size?: number;
  /** Face box in pixels for every frame (default: the whole frame). */
  box?: PixelBox;
  /**
   * Per-frame face boxes of a video, in the order its frames are read at `fps` (e.g. @facelab/face-detect's
   * `trackFaceBoxes`); overrides `box`. Frames past the list take its last box.
   */
  faceBoxes?: (video: string) => Promise<readonly PixelBox[]>;
  /** Modalities to extract from a video (default: audio and visual). */
  videoModalities?: readonly ('audio' | 'visual')[];
  /** Rewrite HDF5 files that exist (default: skip them, as upstream). */
  overwrite?: boolean;
  /** Read absolute paths in the input list (default false: every path must lie inside the list's folder). */
  allowAbsolute?: boolean;
  /** Called after each input with its index, the total and the file written (or skipped). */
  onFile?: (info: { index: number; total: number; path: string; skipped: boolean }) => void;
}

const VIDEO = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v']);
const AUDIO = new Set(['.wav']);

/** Fails with the input list's row when a raw or label file is missing. */
async function mustExist(path: string, where: string): Promise<void> {
  try {
    await stat(path);
  } catch {
    throw new Error(`${where}: file not found: ${path}`);
  }
}

/** Cuts [S, n] frames of `n` samples per step from a mono signal, starting at round(t_s·rate). */
function cutAudio(signal: Float32Array, rate: number, labels: LabelFile): Float32Block {
  const n = samplesPerStep(rate, labels.step);
  const steps = labels.times.length;
  const data = new Float32Array(steps * n);
  labels.times.forEach((t, s) => {
    const from = Math.round(t * rate);
    data.set(signal.subarray(Math.min(from, signal.length), Math.min(from + n, signal.length)), s * n);
  });
  return { data, shape: [steps, n] };
}

/** Audio of a WAV file: mono mix, resampled to `rate`. */
async function wavAudio(path: string, rate: number): Promise<Float32Array> {
  const wav = await readWav(path);
  const mono = new Float32Array(wav.channels[0]!.length);
  for (const ch of wav.channels) for (let i = 0; i < mono.length; i++) mono[i]! += ch[i]! / wav.channels.length;
  return wav.sampleRate === rate ? mono : resample(mono, wav.sampleRate, rate);
}

/** The box clamped to a width × height frame (upstream clamps x to the height). */
export function clampBox(box: PixelBox, width: number, height: number): PixelBox {
  const x0 = Math.min(Math.max(0, Math.round(box.x)), width - 1);
  const y0 = Math.min(Math.max(0, Math.round(box.y)), height - 1);
  const x1 = Math.min(width, Math.max(x0 + 1, Math.round(box.x + box.width)));
  const y1 = Math.min(height, Math.max(y0 + 1, Math.round(box.y + box.height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** [S, F, 3, size, size] face crops (see the module comment). */
async function videoFrames(path: string, labels: LabelFile, o: GenerateOptions): Promise<Float32Block> {
  const size = o.size ?? 96;
  const fps = o.fps ?? (await videoInfo(path)).fps;
  const f = samplesPerStep(fps, labels.step);
  const steps = labels.times.length;
  const boxes = o.faceBoxes ? await o.faceBoxes(path) : undefined;
  if (boxes !== undefined && boxes.length === 0) throw new Error(`generate: ${path}: faceBoxes gave no boxes`);
  const frameSize = 3 * size * size;
  const data = new Float32Array(steps * f * frameSize);
  const filled = new Int32Array(steps);
  const t0 = labels.times[0]!;
  let last: Float32Array | undefined;
  const put = (s: number, chw: Float32Array) => data.set(chw, (s * f + filled[s]!++) * frameSize);
  for await (const frame of readVideoFrames(path, o.fps === undefined ? {} : { fps: o.fps })) {
    const s = Math.floor((frame.time - t0) / labels.step + 1e-6);
    if (s >= steps) break;
    if (s < 0 || filled[s]! >= f) continue;
    const chw = tf.tidy(() => {
      const img = rawToTensor(frame);
      const given = boxes ? (boxes[frame.index] ?? boxes[boxes.length - 1]) : o.box;
      const box = given ? clampBox(given, frame.width, frame.height) : undefined;
      const face = box ? cropToBox(img, box) : img;
      const resized = tensorToRaw(tf.cast(tf.round(resizeImage(tf.cast(face, 'float32') as tf.Tensor3D, { width: size, height: size })), 'int32') as tf.Tensor3D);
      const out = new Float32Array(frameSize);
      const plane = size * size;
      for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = resized.data[i * 3 + c]!;
      return out;
    });
    // Steps the video skipped (a lower frame rate) repeat the last frame.
    for (let p = 0; p < s; p++) while (last && filled[p]! < f) put(p, last);
    put(s, chw);
    last = chw;
  }
  if (!last) throw new Error(`generate: ${path}: no video frame inside the label times`);
  // A step short of frames repeats its own last frame, or the previous step's (the video ended early).
  for (let s = 0; s < steps; s++) {
    while (filled[s]! < f) {
      const prev = s * f + filled[s]! - 1;
      put(s, prev >= 0 ? data.slice(prev * frameSize, (prev + 1) * frameSize) : last);
    }
  }
  return { data, shape: [steps, f, 3, size, size] };
}

/** [S, T_p, C] physiological samples (see the module comment). */
async function physioFrames(path: string, labels: LabelFile): Promise<Float32Block> {
  const sig = await readSignalCsv(path);
  const c = sig.names.length;
  const n = sig.samples.length / c;
  const t = samplesPerStep(sig.rate, labels.step);
  const steps = labels.times.length;
  const data = new Float32Array(steps * t * c);
  labels.times.forEach((time, s) => {
    const from = Math.round((time - sig.start) * sig.rate);
    for (let k = 0; k < t; k++) {
      const i = Math.min(Math.max(0, from + k), n - 1);
      data.set(sig.samples.subarray(i * c, i * c + c), (s * t + k) * c);
    }
  });
  return { data, shape: [steps, t, c] };
}

/** The record of one input row: its label file and raw files cut into steps. */
export async function generateRecord(row: InputRow, options: GenerateOptions = {}, where = 'generate'): Promise<End2YouRecord> {
  const rate = options.audioRate ?? 16000;
  await mustExist(row.labels, where);
  for (const raw of row.raw) await mustExist(raw, where);
  const labels = await readLabelFile(row.labels);
  const record: End2YouRecord = {
    labels: { data: labels.values, shape: [labels.times.length, labels.names.length] },
    labelNames: labels.names,
    dataFile: row.raw.join(';'),
    labelFile: row.labels,
  };
  const set = (m: Modality, block: Float32Block, raw: string) => {
    if (record[m]) throw new Error(`${where}: two raw files give ${m} (${raw})`);
    record[m] = block;
  };
  for (const raw of row.raw) {
    const ext = extname(raw).toLowerCase();
    if (AUDIO.has(ext)) set('audio', cutAudio(await wavAudio(raw, rate), rate, labels), raw);
    else if (ext === '.csv') set('physio', await physioFrames(raw, labels), raw);
    else if (VIDEO.has(ext)) {
      const want = options.videoModalities ?? ['audio', 'visual'];
      if (want.includes('visual')) set('visual', await videoFrames(raw, labels, options), raw);
      if (want.includes('audio')) set('audio', cutAudio(await readSoundtrack(raw, rate), rate, labels), raw);
    } else {
      throw new Error(`${where}: ${raw}: unknown raw file type '${ext}' (wav; mp4/avi/mov/mkv/webm; csv for signals)`);
    }
  }
  return record;
}

/** The HDF5 file name of an input: its label file's name with .hdf5 (as upstream). */
export function hdf5NameOf(row: InputRow): string {
  return `${basename(row.labels, extname(row.labels))}.hdf5`;
}

/** Removes temporary files an interrupted run left in `dir` (`.<name>.hdf5.<pid>.tmp`). */
async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (/^\..+\.hdf5\.\d+\.tmp$/.test(name)) await unlink(join(dir, name)).catch(() => undefined);
}

/** Reads an input list and writes one HDF5 file per row into `outDir` (each atomically); returns their paths. */
export async function generate(inputList: string, outDir: string, options: GenerateOptions = {}): Promise<string[]> {
  const rows = await readInputList(inputList, { allowAbsolute: options.allowAbsolute ?? false });
  await mkdir(outDir, { recursive: true });
  await removeStaleTemps(outDir);
  const names = new Set<string>();
  const written: string[] = [];
  for (const [index, row] of rows.entries()) {
    const where = `generate: ${inputList}:${row.line}`;
    const name = hdf5NameOf(row);
    if (names.has(name)) throw new Error(`${where}: label file name '${basename(row.labels)}' repeats an earlier row's; HDF5 files are named after it`);
    names.add(name);
    const path = join(outDir, name);
    const exists = await stat(path).then(() => true, () => false);
    if (!exists || options.overwrite) {
      let record: End2YouRecord;
      try {
        record = await generateRecord(row, options, where);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(msg.startsWith(where) ? msg : `${where}: ${msg}`, { cause: err });
      }
      await writeEnd2YouHdf5(path, record);
    }
    written.push(path);
    options.onFile?.({ index, total: rows.length, path, skipped: exists && !options.overwrite });
  }
  return written;
}
