/**
 * Blur pairs on disk: `<dir>/blurred/<name>.png` and `<dir>/sharp/<name>.png` with the same names (the layout of
 * @facelab/synth's writeDeblurDataset), plus `pairs.csv` (name, n, centre) when written here. Images are 8-bit
 * PNG; the blurred mean is rounded to bytes when written.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeImage, encodeImage, imageFormatOf } from '@facelab/data';
import { writeFileAtomic } from '@facelab/runtime';
import type { BlurPair } from './blur.js';

/** Pairs held in memory: HWC float32 images in [0, 1], all of one size. */
export interface PairSet {
  blurred: Float32Array[];
  sharp: Float32Array[];
  /** Image side (square images). */
  size: number;
  channels: number;
  /** A name per pair (file stem). */
  names: string[];
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

function toBytes(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = Math.max(0, Math.min(255, Math.round(x[k]! * 255)));
  return out;
}

/** Writes pairs as PNGs into `dir/blurred` and `dir/sharp` (names 00001.png …) and `dir/pairs.csv`; returns the count. */
export async function writeBlurPairs(pairs: AsyncIterable<BlurPair> | Iterable<BlurPair>, dir: string, options: { limit?: number } = {}): Promise<number> {
  await mkdir(join(dir, 'blurred'), { recursive: true });
  await mkdir(join(dir, 'sharp'), { recursive: true });
  const rows = ['name,n,centre'];
  let i = 0;
  for await (const p of pairs) {
    if (options.limit !== undefined && i >= options.limit) break;
    const name = `${String(i + 1).padStart(5, '0')}.png`;
    const raw = (data: Float32Array) => ({ data: toBytes(data), width: p.width, height: p.height, channels: p.channels });
    await writeFileAtomic(join(dir, 'blurred', name), await encodeImage(raw(p.blurred), 'png'));
    await writeFileAtomic(join(dir, 'sharp', name), await encodeImage(raw(p.sharp), 'png'));
    rows.push(`${name},${p.n},${p.centre}`);
    i++;
  }
  await writeFileAtomic(join(dir, 'pairs.csv'), rows.join('\n') + '\n');
  return i;
}

/** The image files of a folder, sorted by name. */
export async function listImages(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => IMAGE_EXT.has(extname(n).toLowerCase())).sort();
}

/** Reads one image as HWC float32 in [0, 1] with 3 channels; returns it with its size. */
export async function readImageFloat(path: string): Promise<{ data: Float32Array; width: number; height: number }> {
  imageFormatOf(path);
  const raw = await decodeImage(path, 3);
  const data = new Float32Array(raw.data.length);
  for (let k = 0; k < data.length; k++) data[k] = raw.data[k]! / 255;
  return { data, width: raw.width, height: raw.height };
}

/**
 * Reads a pair folder: every image of `blurred/` with its namesake in `sharp/`. Square images of one size only; a
 * missing namesake or an image of another size is an error naming the file.
 */
export async function readBlurPairs(dir: string, options: { limit?: number } = {}): Promise<PairSet> {
  const names = (await listImages(join(dir, 'blurred'))).slice(0, options.limit);
  if (names.length === 0) throw new Error(`${join(dir, 'blurred')} has no images`);
  const set: PairSet = { blurred: [], sharp: [], size: 0, channels: 3, names: [] };
  for (const name of names) {
    for (const kind of ['blurred', 'sharp'] as const) {
      const path = join(dir, kind, name);
      const img = await readImageFloat(path);
      if (img.width !== img.height) throw new Error(`${path} is ${img.width}×${img.height}: face crops must be square`);
      if (set.size === 0) set.size = img.width;
      if (img.width !== set.size) throw new Error(`${path} is ${img.width}×${img.height}, the first pair is ${set.size}×${set.size}`);
      set[kind].push(img.data);
    }
    set.names.push(name.replace(/\.[^.]+$/, ''));
  }
  return set;
}

/** Collects up to `limit` pairs of a stream into a PairSet (square frames of one size). */
export async function collectPairs(pairs: AsyncIterable<BlurPair> | Iterable<BlurPair>, limit = Infinity): Promise<PairSet> {
  const set: PairSet = { blurred: [], sharp: [], size: 0, channels: 3, names: [] };
  for await (const p of pairs) {
    if (set.blurred.length >= limit) break;
    if (p.width !== p.height) throw new Error(`pair ${set.blurred.length} is ${p.width}×${p.height}: face crops must be square`);
    if (set.size === 0) {
      set.size = p.width;
      set.channels = p.channels;
    }
    set.blurred.push(p.blurred);
    set.sharp.push(p.sharp);
    set.names.push(`c${p.centre}_n${p.n}`);
  }
  if (set.blurred.length === 0) throw new Error('no blur pairs: the source gave none');
  return set;
}
