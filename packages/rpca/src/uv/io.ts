/**
 * UV maps on disk for the CLI: RGBA PNGs, alpha marking the visible texels (alpha ≥ 128 = observed). Images go
 * through the optional peer `@facelab/data`.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { imageIO } from '../data/matrix-io.js';
import type { UvTexture } from './sample.js';

/** A folder's UV maps in name order. */
export interface UvFolder {
  names: string[];
  textures: UvTexture[];
}

/** Reads every .png in `dir` (sorted by name) as a square UV texture in [0, 1] with its alpha as the mask. */
export async function readUvFolder(dir: string, flag: string): Promise<UvFolder> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => extname(f).toLowerCase() === '.png' && !f.startsWith('.')).sort();
  } catch (err) {
    throw new Error(`${flag} ${dir}: cannot read the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (names.length === 0) throw new Error(`${flag} ${dir}: no .png UV maps`);
  const { decodeImage } = await imageIO(`reading UV maps from ${dir}`);
  const textures: UvTexture[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const img = await decodeImage(file, 4);
    if (img.width !== img.height) throw new Error(`${file} is ${img.width}×${img.height}: UV maps must be square`);
    if (textures.length > 0 && img.width !== textures[0]!.size) throw new Error(`${file} is ${img.width}×${img.height} but ${names[0]} is ${textures[0]!.size}×${textures[0]!.size}`);
    const n = img.width * img.height;
    const data = new Float64Array(3 * n);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      mask[i] = img.data[4 * i + 3]! >= 128 ? 1 : 0;
      for (let k = 0; k < 3; k++) data[3 * i + k] = mask[i] ? img.data[4 * i + k]! / 255 : 0;
    }
    textures.push({ size: img.width, channels: 3, data, mask });
  }
  return { names, textures };
}

/** Writes a texture as an RGBA PNG (alpha 255 where its mask is 1, values clipped to [0, 1]), atomically. */
export async function writeUvTexture(path: string, t: UvTexture): Promise<void> {
  if (t.channels !== 3) throw new Error(`writeUvTexture: ${path}: expected 3 channels, got ${t.channels}`);
  const n = t.size * t.size;
  const data = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) data[4 * i + k] = Math.round(255 * Math.min(1, Math.max(0, t.data[3 * i + k]!)));
    data[4 * i + 3] = t.mask[i] ? 255 : 0;
  }
  const { writeImage } = await imageIO(`writing ${path}`);
  await writeImage(path, { data, width: t.size, height: t.size, channels: 4 });
}
