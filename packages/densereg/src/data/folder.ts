/**
 * DenseReg sample folders, reader and writer: per sample `<name>.png` (RGB image), optionally
 * `<name>.u.png` and `<name>.v.png` (16-bit U and V maps, uv-png.ts) and `<name>.pts` (68 iBUG landmarks,
 * 300-W convention: 1-based pixel coordinates in the file, 0-based in memory). A 300-W folder (images and
 * `.pts`, no maps) reads as landmark-only samples for NME; a folder of images reads as images to predict.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage, readPts, writeImage, writePts } from '@facelab/data';
import { checkSample, type DenseRegSample } from './sample.js';
import { readUVPng, writeUVPng } from './uv-png.js';

const MAP_SUFFIX = /\.(u|v)\.png$/i;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  );
}

/** Reads one sample `<dir>/<name>.png` with whatever maps and landmarks sit beside it. */
export async function readDenseRegSample(dir: string, name: string): Promise<DenseRegSample> {
  const imagePath = join(dir, `${name}.png`);
  const raw = await decodeImage(imagePath, 3);
  const sample: DenseRegSample = { width: raw.width, height: raw.height, image: raw.data, name };
  const [uPath, vPath, ptsPath] = [`${name}.u.png`, `${name}.v.png`, `${name}.pts`].map((f) => join(dir, f)) as [string, string, string];
  const [hasU, hasV] = await Promise.all([exists(uPath), exists(vPath)]);
  if (hasU !== hasV) throw new Error(`${hasU ? vPath : uPath}: missing (a sample's U and V maps come together)`);
  if (hasU) {
    for (const [path, key] of [
      [uPath, 'u'],
      [vPath, 'v'],
    ] as const) {
      const m = await readUVPng(path);
      if (m.width !== raw.width || m.height !== raw.height) {
        throw new Error(`${path}: map is ${m.width}×${m.height} but the image ${imagePath} is ${raw.width}×${raw.height}`);
      }
      sample[key] = m.map;
    }
  }
  if (await exists(ptsPath)) {
    const points = await readPts(ptsPath);
    if (points.length !== 68) throw new Error(`${ptsPath}: expected 68 landmarks (iBUG), got ${points.length}`);
    sample.landmarks = Float32Array.from(points.flatMap(([x, y]) => [x - 1, y - 1]));
  }
  checkSample(sample);
  return sample;
}

/** Reads every sample of a folder (sorted by name). */
export async function readDenseRegFolder(dir: string): Promise<DenseRegSample[]> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.png') && !MAP_SUFFIX.test(f)).sort();
  if (files.length === 0) throw new Error(`${dir}: no .png images`);
  const out: DenseRegSample[] = [];
  for (const f of files) out.push(await readDenseRegSample(dir, f.slice(0, -4)));
  return out;
}

/** Writes a sample as `<dir>/<name>.png` (creating `dir`) (+ `.u.png`, `.v.png`, `.pts` when it has them), each file atomically. */
export async function writeDenseRegSample(dir: string, sample: DenseRegSample, name = sample.name): Promise<void> {
  if (name === undefined || name === '') throw new Error('writeDenseRegSample: the sample needs a name');
  checkSample(sample);
  await mkdir(dir, { recursive: true });
  const { width, height } = sample;
  await writeImage(join(dir, `${name}.png`), {
    data: Uint8Array.from(sample.image, (p) => Math.max(0, Math.min(255, Math.round(p)))),
    width,
    height,
    channels: 3,
  });
  if (sample.u && sample.v) {
    await writeUVPng(join(dir, `${name}.u.png`), sample.u, width, height);
    await writeUVPng(join(dir, `${name}.v.png`), sample.v, width, height);
  }
  if (sample.landmarks) {
    const lm = sample.landmarks;
    await writePts(
      join(dir, `${name}.pts`),
      Array.from({ length: 68 }, (_, k) => [lm[2 * k]! + 1, lm[2 * k + 1]! + 1] as const)
    );
  }
}
