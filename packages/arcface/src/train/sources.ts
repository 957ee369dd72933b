/**
 * Labelled face images for training: in memory, a folder per identity, or insightface's RecordIO files.
 * Every source yields float32 [size, size, 3] pixels in [0, 255] for an index.
 */
import { listClassFolders } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import { decodeFace } from '../data/decode-face.js';
import { RecordIOReader } from '../data/recordio.js';

/** A random-access set of labelled face images. */
export interface FaceSource {
  /** Number of images. */
  readonly length: number;
  /** Number of identities (labels are 0 … numClasses − 1). */
  readonly numClasses: number;
  /** Label of image `i`. */
  labelOf(i: number): number;
  /** Image `i` as float32 [size, size, 3] in [0, 255] (the caller disposes it). */
  image(i: number, size: number): Promise<tf.Tensor3D>;
  /** Releases files (optional). */
  close?(): void;
}

/**
 * A source over images already in memory: [N, H, W, 3] in [0, 255] and N labels. The pixels are copied to
 * the host once (slicing a wasm tensor per image would copy the whole batch out of the wasm heap each time).
 */
export function tensorFaceSource(images: tf.Tensor4D, labels: readonly number[], options: { maxClasses?: number } = {}): FaceSource {
  if (images.shape[0] !== labels.length) {
    throw new Error(`tensorFaceSource: ${images.shape[0]} images but ${labels.length} labels`);
  }
  const numClasses = checkLabels(labels, 'tensorFaceSource', options.maxClasses);
  const [, h, w, ch] = images.shape;
  const pixels = Float32Array.from(images.dataSync());
  const stride = h * w * ch;
  return {
    length: labels.length,
    numClasses,
    labelOf: (i) => labels[i]!,
    image: async (i, size) => {
      if (h !== size || w !== size || ch !== 3) {
        throw new Error(`tensorFaceSource: images are ${w}×${h}×${ch}, the model expects ${size}×${size}×3`);
      }
      return tf.tensor3d(pixels.subarray(i * stride, (i + 1) * stride), [h, w, 3]);
    },
  };
}

/**
 * Default bound on the identities of a training source (2^22 ≈ 4.2 M, twice WebFace42M's): the margin head holds
 * one embedding-sized centre per identity, so one corrupt label of 1e9 would otherwise allocate 1e9 of them.
 */
export const MAX_CLASSES = 2 ** 22;

/** Options of the training sources that read labels from files. */
export interface FaceSourceOptions {
  /** Resize images of another size to the model's (default false: an error naming the image). */
  resize?: boolean;
  /** Most identities the labels may span (default {@link MAX_CLASSES}). */
  maxClasses?: number;
}

function checkLabels(labels: readonly number[], where: string, maxClasses = MAX_CLASSES, name = (i: number) => `label ${i}`): number {
  let max = -1;
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) throw new Error(`${where}: ${name(i)} is ${l}, expected a non-negative integer`);
    if (l >= maxClasses) throw new Error(`${where}: ${name(i)} is ${l}: more than maxClasses ${maxClasses} identities (a corrupt label?)`);
    max = Math.max(max, l);
  });
  return max + 1;
}

/** A folder per identity (`root/<identity>/<image>`), labels in sorted folder order. */
export async function folderFaceSource(root: string, options: Pick<FaceSourceOptions, 'resize'> = {}): Promise<FaceSource> {
  const { items, classes } = await listClassFolders(root, { extensions: ['.jpg', '.jpeg', '.png', '.webp'] });
  if (items.length === 0) throw new Error(`folderFaceSource: no images under ${root}`);
  return {
    length: items.length,
    numClasses: classes.length,
    labelOf: (i) => items[i]!.label,
    image: (i, size) => decodeFace(items[i]!.path, size, options.resize ?? false, items[i]!.path),
  };
}

/**
 * insightface's `train.rec` + `train.idx`: when record 0's header has flag > 0, its label [first, end) bounds
 * the image keys (as insightface's MXFaceDataset reads it); otherwise every indexed key is an image.
 */
export function recordFaceSource(recPath: string, idxPath: string, options: FaceSourceOptions = {}): FaceSource {
  const reader = new RecordIOReader(recPath, idxPath);
  try {
    let keys = reader.keys();
    if (keys.length === 0) throw new Error(`${idxPath}: the index lists no records`);
    const first = reader.read(keys[0]!);
    if (first.header.flag > 0 && Array.isArray(first.header.label)) {
      const [start, end] = first.header.label as [number, number];
      keys = keys.filter((k) => k >= start! && k < end!);
      if (keys.length === 0) {
        throw new Error(`${recPath}: record ${reader.keys()[0]}'s header range [${start}, ${end}) selects none of the ${reader.keys().length} indexed keys`);
      }
    }
    const labels = keys.map((k) => {
      const { label } = reader.read(k).header;
      return Array.isArray(label) ? label[0]! : label;
    });
    const numClasses = checkLabels(labels, recPath, options.maxClasses, (i) => `record ${keys[i]}'s label`);
    return recordSource(reader, recPath, keys, labels, numClasses, options.resize ?? false);
  } catch (err) {
    reader.close();
    throw err;
  }
}

function recordSource(reader: RecordIOReader, recPath: string, keys: number[], labels: number[], numClasses: number, resize: boolean): FaceSource {
  return {
    length: keys.length,
    numClasses,
    labelOf: (i) => labels[i]!,
    image: (i, size) => decodeFace(reader.read(keys[i]!).image, size, resize, `${recPath} record ${keys[i]}`),
    close: () => reader.close(),
  };
}
