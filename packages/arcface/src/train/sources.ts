/**
 * Labelled face images for training: in memory, a folder per identity, or insightface's RecordIO files.
 * Every source yields float32 [size, size, 3] pixels in [0, 255] for an index.
 */
import { decodeImage, listClassFolders, rawToTensor, resizeImage } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
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
export function tensorFaceSource(images: tf.Tensor4D, labels: readonly number[]): FaceSource {
  if (images.shape[0] !== labels.length) {
    throw new Error(`tensorFaceSource: ${images.shape[0]} images but ${labels.length} labels`);
  }
  const numClasses = checkLabels(labels, 'tensorFaceSource');
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

function checkLabels(labels: readonly number[], where: string): number {
  let max = -1;
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) throw new Error(`${where}: label ${i} is ${l}, expected a non-negative integer`);
    max = Math.max(max, l);
  });
  return max + 1;
}

/** Decodes encoded image bytes (or a path) to float [size, size, 3]; resizes only when `resize`. */
async function decodeTo(source: string | Uint8Array, size: number, resize: boolean, name: string): Promise<tf.Tensor3D> {
  const raw = await decodeImage(source, 3);
  const t = tf.tidy(() => rawToTensor(raw, 'uint8').toFloat() as tf.Tensor3D);
  if (raw.width === size && raw.height === size) return t;
  if (!resize) {
    t.dispose();
    throw new Error(`${name}: image is ${raw.width}×${raw.height}, the model expects ${size}×${size} (enable resizing)`);
  }
  const r = resizeImage(t, { width: size, height: size });
  t.dispose();
  return r;
}

/** A folder per identity (`root/<identity>/<image>`), labels in sorted folder order. */
export async function folderFaceSource(root: string, options: { resize?: boolean } = {}): Promise<FaceSource> {
  const { items, classes } = await listClassFolders(root, { extensions: ['.jpg', '.jpeg', '.png', '.webp'] });
  if (items.length === 0) throw new Error(`folderFaceSource: no images under ${root}`);
  return {
    length: items.length,
    numClasses: classes.length,
    labelOf: (i) => items[i]!.label,
    image: (i, size) => decodeTo(items[i]!.path, size, options.resize ?? false, items[i]!.path),
  };
}

/**
 * insightface's `train.rec` + `train.idx`: when record 0's header has flag > 0, its label [first, end) bounds
 * the image keys (as insightface's MXFaceDataset reads it); otherwise every indexed key is an image.
 */
export function recordFaceSource(recPath: string, idxPath: string, options: { resize?: boolean } = {}): FaceSource {
  const reader = new RecordIOReader(recPath, idxPath);
  let keys = reader.keys();
  const first = reader.read(keys[0]!);
  if (first.header.flag > 0 && Array.isArray(first.header.label)) {
    const [start, end] = first.header.label as [number, number];
    keys = keys.filter((k) => k >= start && k < end);
  }
  const labels = keys.map((k) => {
    const { label } = reader.read(k).header;
    return Array.isArray(label) ? label[0]! : label;
  });
  const numClasses = checkLabels(labels, recPath);
  return {
    length: keys.length,
    numClasses,
    labelOf: (i) => labels[i]!,
    image: (i, size) => decodeTo(reader.read(keys[i]!).image, size, options.resize ?? false, `${recPath} record ${keys[i]}`),
    close: () => reader.close(),
  };
}
