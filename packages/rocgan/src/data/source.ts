/**
 * Image sources for training and evaluation: image folders (clean targets, or im2im pairs) and in-memory images,
 * and the batch maker that corrupts, normalises and stacks them into tensors.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { decodeImage, type RawImage } from '@facelab/data';
import { messageOf, type Rng } from '@facelab/runtime';
import { corruptImage, resolveCorruption, toModelRange, type CorruptionOptions } from './corruptions.js';
import { splitIm2im } from './im2im.js';

/** One item: the clean target and, for paired data, the given input (8-bit, interleaved [H, W, 3]). */
export interface SourceItem {
  target: Uint8Array;
  input?: Uint8Array;
}

/** A list of same-sized RGB images (or pairs) read on demand. */
export interface ImageSource {
  /** Number of items. */
  length: number;
  /** Side of the (square) images. */
  imageSize: number;
  /** True when items carry their own inputs (im2im). */
  paired: boolean;
  /** A name per item (file name) for reports. */
  name(i: number): string;
  /** Loads item i. */
  load(i: number): Promise<SourceItem>;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

function checkImage(raw: RawImage, size: number, file: string): Uint8Array {
  if (raw.channels !== 3) throw new Error(`${file}: expected an RGB image (3 channels), got ${raw.channels}`);
  if (raw.width !== size || raw.height !== size)
    throw new Error(`${file}: expected ${size}×${size} pixels, got ${raw.width}×${raw.height}`);
  return raw.data;
}

/** Options of {@link imageFolderSource}. */
export interface ImageFolderOptions {
  /** Image side the model expects (every image must have it). */
  imageSize: number;
  /** Each file is an im2im pair (input stacked above target) instead of a clean image. */
  im2im?: boolean;
}

/** The PNG/JPEG files of a folder (sorted by name), as clean targets or im2im pairs. Empty folders are an error. */
export async function imageFolderSource(dir: string, options: ImageFolderOptions): Promise<ImageSource> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !n.startsWith('.') && IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort();
  } catch (err) {
    throw new Error(`cannot read image folder '${dir}': ${messageOf(err)}`, { cause: err });
  }
  if (names.length === 0) throw new Error(`image folder '${dir}' has no .png/.jpg/.jpeg images`);
  const size = options.imageSize;
  return {
    length: names.length,
    imageSize: size,
    paired: options.im2im ?? false,
    name: (i) => names[i]!,
    load: async (i) => {
      const file = join(dir, names[i]!);
      if (options.im2im) {
        const pair = splitIm2im(await decodeImage(file), file);
        return {
          input: checkImage(pair.input, size, `${file} (top half)`),
          target: checkImage(pair.target, size, `${file} (bottom half)`),
        };
      }
      return { target: checkImage(await decodeImage(file), size, file) };
    },
  };
}

/** An in-memory source over [N, S, S, 3] 8-bit-valued images (a tensor or raw arrays), e.g. synthetic faces. */
export function memorySource(images: tf.Tensor4D | { targets: Uint8Array[]; inputs?: Uint8Array[]; imageSize: number }): ImageSource {
  let targets: Uint8Array[];
  let inputs: Uint8Array[] | undefined;
  let size: number;
  if (images instanceof tf.Tensor) {
    const [n, h, w, c] = images.shape;
    if (h !== w || c !== 3) throw new Error(`memorySource: images must be [N, S, S, 3], got [${images.shape}]`);
    const all = Uint8Array.from(images.dataSync(), (v) => Math.min(255, Math.max(0, Math.round(v))));
    const len = h * w * c;
    targets = Array.from({ length: n }, (_, i) => all.subarray(i * len, (i + 1) * len));
    size = h;
  } else {
    ({ targets, inputs, imageSize: size } = images);
    const len = size * size * 3;
    [...targets, ...(inputs ?? [])].forEach((t, i) => {
      if (t.length !== len)
        throw new Error(`memorySource: image ${i % targets.length} has ${t.length} values, expected ${size}×${size}×3 = ${len}`);
    });
    if (inputs && inputs.length !== targets.length) throw new Error(`memorySource: ${inputs.length} inputs for ${targets.length} targets`);
  }
  if (targets.length === 0) throw new Error('memorySource: no images');
  return {
    length: targets.length,
    imageSize: size,
    paired: inputs !== undefined,
    name: (i) => `image-${String(i).padStart(4, '0')}`,
    load: async (i) => ({ target: targets[i]!, ...(inputs ? { input: inputs[i]! } : {}) }),
  };
}

/** A batch in model range: corrupted inputs x and clean targets y, [N, S, S, 3]. */
export interface PairBatch {
  x: tf.Tensor4D;
  y: tf.Tensor4D;
}

/** Options of {@link loadBatch}. */
export interface LoadBatchOptions {
  /** The corruption making x from y (ignored for paired sources, whose inputs are given). */
  corruption?: CorruptionOptions;
  /** Add dequantisation noise U[0, 1/128) (training; default false). */
  dequantize?: boolean;
}

/**
 * Loads items `indices`, corrupts targets into inputs (unless the source is paired), converts to the model range
 * and stacks them. Every random draw comes from `rng`, so batches are reproducible.
 */
export async function loadBatch(source: ImageSource, indices: number[], rng: Rng, options: LoadBatchOptions = {}): Promise<PairBatch> {
  const corruption = resolveCorruption(options.corruption);
  if (!source.paired && corruption.task === 'im2im') throw new Error("task 'im2im' needs a paired source (im2im files)");
  const s = source.imageSize;
  const len = s * s * 3;
  const xs = new Float32Array(indices.length * len);
  const ys = new Float32Array(indices.length * len);
  for (const [k, i] of indices.entries()) {
    const item = await source.load(i);
    const input = item.input ? Float32Array.from(item.input) : corruptImage(item.target, s, s, 3, corruption, rng);
    xs.set(input, k * len);
    ys.set(item.target, k * len);
  }
  const dq = options.dequantize ? rng : undefined;
  toModelRange(xs, dq);
  toModelRange(ys, dq);
  return { x: tf.tensor4d(xs, [indices.length, s, s, 3]), y: tf.tensor4d(ys, [indices.length, s, s, 3]) };
}
