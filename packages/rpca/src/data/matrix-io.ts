/**
 * Reading and writing data matrices for the CLI: a CSV of numbers, or a folder of images stacked as columns.
 * Images go through `@facelab/data`, an optional peer: the solvers and CSV matrices need neither it nor the
 * TensorFlow.js and sharp it brings.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decimalNumber, readCsv, writeCsv } from '@facelab/runtime';
import { Matrix } from 'ml-matrix';

/** Where a data matrix came from: images keep their size and names so results can be written back. */
export interface MatrixSource {
  M: Matrix;
  images?: { names: string[]; width: number; height: number; channels: number };
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

/** `@facelab/data`, loaded on first use; a one-line error says how to install it when it is missing. */
export async function imageIO(what: string): Promise<typeof import('@facelab/data')> {
  try {
    return await import('@facelab/data');
  } catch (err) {
    throw new Error(`${what} needs the optional peer @facelab/data (npm install @facelab/data): ${(err as Error).message}`);
  }
}

/** Reads a CSV of decimal numbers (no header) as a matrix; a bad field (`0x10`, `NaN`, empty) fails with `file:line`. */
export async function readMatrixCsv(path: string): Promise<Matrix> {
  const { rows } = await readCsv(path, { header: false });
  if (rows.length === 0) throw new Error(`${path}: no rows`);
  return new Matrix(
    rows.map((r) =>
      r.fields.map((f, j) => {
        const v = decimalNumber(f);
        if (!Number.isFinite(v)) throw new Error(`${path}:${r.line}: field ${j + 1} ('${f}') is not a finite number`);
        return v;
      }),
    ),
  );
}

/** Writes a matrix as a CSV of numbers (atomically). */
export async function writeMatrixCsv(path: string, A: Matrix): Promise<void> {
  await writeCsv(path, A.to2DArray());
}

/**
 * Reads every PNG/JPEG in `dir` (sorted by name) as one column of values in [0, 1] (HWC order); all images must
 * have the same size and channel count.
 */
export async function readImageColumns(dir: string, channels: 1 | 3 = 1): Promise<MatrixSource> {
  const names = (await readdir(dir)).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
  if (names.length === 0) throw new Error(`${dir}: no .png/.jpg images`);
  const { decodeImage } = await imageIO(`reading images from ${dir}`);
  const first = await decodeImage(join(dir, names[0]!), channels);
  const { width, height } = first;
  const M = new Matrix(width * height * channels, names.length);
  for (let j = 0; j < names.length; j++) {
    const img = j === 0 ? first : await decodeImage(join(dir, names[j]!), channels);
    if (img.width !== width || img.height !== height) {
      throw new Error(`${join(dir, names[j]!)} is ${img.width}×${img.height} but ${names[0]} is ${width}×${height}: all images must have one size`);
    }
    for (let i = 0; i < img.data.length; i++) M.set(i, j, img.data[i]! / 255);
  }
  return { M, images: { names, width, height, channels } };
}

/** Writes column j of `A` as an image (values in [0, 1], clipped), atomically. */
export async function writeColumnImage(path: string, A: Matrix, j: number, size: { width: number; height: number; channels: number }): Promise<void> {
  const data = new Uint8Array(size.width * size.height * size.channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(255 * Math.min(1, Math.max(0, A.get(i, j))));
  const { writeImage } = await imageIO(`writing ${path}`);
  await writeImage(path, { data, width: size.width, height: size.height, channels: size.channels });
}

/** Reads a CSV matrix or a folder of images. */
export async function readMatrixSource(path: string, channels: 1 | 3 = 1): Promise<MatrixSource> {
  const info = await stat(path).catch(() => {
    throw new Error(`--input ${path}: no such file or directory`);
  });
  if (info.isDirectory()) return readImageColumns(path, channels);
  if (extname(path).toLowerCase() === '.csv') return { M: await readMatrixCsv(path) };
  throw new Error(`--input ${path}: expected a folder of images or a .csv file`);
}
