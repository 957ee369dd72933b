/**
 * Frame sequences on disk. A path is read as: a video file (one sequence, through @facelab/data's ffmpeg
 * reader); a folder of images (one sequence, frames in name order); or a folder of such folders and videos
 * (one sequence each, in name order). Writing puts each sequence in `<dir>/<name>/<00000>.png`.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { extname, join, basename } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { decodeImage, readVideoFrames, resizeImage, writeImage, type RawImage } from '@facelab/data';
import type { ImageShape } from '../model/types.js';
import { createFrameSequences, type FrameSequences } from './sequences.js';

const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff']);
const VIDEO_EXTS = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg']);

/** Options of {@link readFrameSequences}. */
export interface ReadFrameSequencesOptions {
  /** Resize every frame to size × size (default: keep; then all frames must share one size). */
  size?: number;
  /** Read 1 (grey) or 3 (RGB, default) channels. */
  channels?: 1 | 3;
  /** Resample videos to this frame rate (default: the file's own). */
  fps?: number;
  /** Fewest frames per sequence (default 2, for training pairs; 1 to read images to augment). */
  minFrames?: 1 | 2;
}

function toFloat(raw: RawImage, size: number | undefined): { data: Float32Array; shape: ImageShape } {
  if (size === undefined || (raw.width === size && raw.height === size)) {
    return { data: Float32Array.from(raw.data, (v) => v / 255), shape: [raw.height, raw.width, raw.channels] };
  }
  const data = tf.tidy(() => {
    const t = tf.tensor3d(Float32Array.from(raw.data, (v) => v / 255), [raw.height, raw.width, raw.channels]);
    return resizeImage(t, { width: size, height: size }).dataSync() as Float32Array;
  });
  return { data, shape: [size, size, raw.channels] };
}

async function readImageFolder(dir: string, o: ReadFrameSequencesOptions) {
  const files = (await readdir(dir)).filter((f) => IMAGE_EXTS.has(extname(f).toLowerCase())).sort();
  const frames: Float32Array[] = [];
  let shape: ImageShape | undefined;
  for (const f of files) {
    const img = toFloat(await decodeImage(join(dir, f), o.channels ?? 3), o.size);
    if (shape && img.shape.join() !== shape.join()) {
      throw new Error(`frame sequences: '${join(dir, f)}' is ${img.shape.join('×')}, expected ${shape.join('×')} like '${join(dir, files[0]!)}' (pass a size to resize)`);
    }
    shape = img.shape;
    frames.push(img.data);
  }
  return { name: basename(dir), frames, shape };
}

async function readVideo(path: string, o: ReadFrameSequencesOptions) {
  const frames: Float32Array[] = [];
  let shape: ImageShape | undefined;
  const size = o.size === undefined ? undefined : { width: o.size, height: o.size };
  for await (const frame of readVideoFrames(path, { fps: o.fps, size })) {
    let raw: RawImage = frame;
    if ((o.channels ?? 3) === 1 && raw.channels === 3) {
      const grey = new Uint8Array(raw.width * raw.height);
      for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * raw.data[3 * i]! + 0.587 * raw.data[3 * i + 1]! + 0.114 * raw.data[3 * i + 2]!);
      raw = { data: grey, width: raw.width, height: raw.height, channels: 1 };
    }
    const img = toFloat(raw, undefined);
    shape = img.shape;
    frames.push(img.data);
  }
  return { name: basename(path, extname(path)), frames, shape };
}

/** Reads frame sequences from a video, a folder of frames, or a folder of those. */
export async function readFrameSequences(path: string, options: ReadFrameSequencesOptions = {}): Promise<FrameSequences> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`frame sequences: '${path}' not found`);
  }
  const sequences: { name: string; frames: Float32Array[]; shape?: ImageShape }[] = [];
  if (info.isFile()) {
    if (!VIDEO_EXTS.has(extname(path).toLowerCase())) throw new Error(`frame sequences: '${path}' is neither a video (${[...VIDEO_EXTS].join(' ')}) nor a folder`);
    sequences.push(await readVideo(path, options));
  } else {
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    const dirs = entries.filter((e) => e.isDirectory());
    const videos = entries.filter((e) => e.isFile() && VIDEO_EXTS.has(extname(e.name).toLowerCase()));
    if (dirs.length === 0 && videos.length === 0) sequences.push(await readImageFolder(path, options));
    for (const e of entries) {
      if (e.isDirectory()) sequences.push(await readImageFolder(join(path, e.name), options));
      else if (videos.includes(e)) sequences.push(await readVideo(join(path, e.name), options));
    }
  }
  const first = sequences.find((s) => s.shape)?.shape;
  if (!first) throw new Error(`frame sequences: no frames found in '${path}'`);
  return createFrameSequences(sequences, first, options.minFrames ?? 2);
}

/** Writes each sequence as `<dir>/<name>/<00000>.png` (atomically, file by file). */
export async function writeFrameSequences(dir: string, set: FrameSequences): Promise<void> {
  const [h, w, c] = set.imageShape;
  for (const [s, frames] of set.frames.entries()) {
    await mkdir(join(dir, set.names[s]!), { recursive: true });
    for (const [t, frame] of frames.entries()) {
      const data = Uint8Array.from(frame, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
      await writeImage(join(dir, set.names[s]!, `${String(t).padStart(5, '0')}.png`), { data, width: w, height: h, channels: c });
    }
  }
}
