/** Turning a batch of plain samples into tensors, one per field, without intermediate tensors. */
import { tf } from '@facelab/core-tensor';

type NumericArray = ArrayLike<number>;
/** An interleaved image (e.g. a RawImage or a video frame). */
type ImageLike = { data: NumericArray; width: number; height: number; channels: number };
/** A field value {@link toTensors} understands: a number, an array of numbers, or an image-like `{ data, width, height, channels }`. */
export type TensorFieldValue = number | NumericArray | ImageLike;

/** Options of {@link toTensors}. */
export interface ToTensorsOptions<K extends string> {
  /** Dtype per field; default int32 for Int32Array/Uint8Array/Uint16Array/Int16Array/Int8Array data, else float32. */
  dtypes?: Partial<Record<K, 'float32' | 'int32'>>;
  /** Per-sample shape per field (e.g. [68, 2] for a flat landmark array); default [length] or [h, w, c] for images. */
  shapes?: Partial<Record<K, number[]>>;
}

function isImageLike(v: TensorFieldValue): v is ImageLike {
  return typeof v === 'object' && v !== null && 'data' in v && 'width' in v;
}

function isIntegerArray(a: unknown): boolean {
  return a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray ||
    a instanceof Int16Array || a instanceof Uint16Array || a instanceof Int8Array;
}

/**
 * Stacks a batch of samples (objects of numbers / arrays / images) into one tensor per field:
 * numbers → [B], arrays of length L → [B, L] (or [B, ...shape]), images → [B, h, w, c]. Every sample must
 * give a field the same size; the caller owns (and disposes) the returned tensors.
 */
export function toTensors<K extends string>(
  batch: readonly Record<K, TensorFieldValue>[],
  options: ToTensorsOptions<K> = {},
): Record<K, tf.Tensor> {
  if (batch.length === 0) throw new Error('toTensors: empty batch');
  const keys = Object.keys(batch[0]!) as K[];
  const out = {} as Record<K, tf.Tensor>;
  const made: tf.Tensor[] = [];
  try {
    for (const key of keys) {
      const first = batch[0]![key];
      const data = (v: TensorFieldValue): NumericArray | number => (isImageLike(v) ? v.data : v);
      const firstData = data(first);
      const size = typeof firstData === 'number' ? 1 : firstData.length;
      const natural =
        typeof first === 'number' ? [] : isImageLike(first) ? [first.height, first.width, first.channels] : [size];
      const shape = options.shapes?.[key] ?? natural;
      if (shape.reduce((a, b) => a * b, 1) !== size) {
        throw new Error(`toTensors: field '${key}' has ${size} values, not the shape [${shape}]`);
      }
      const dtype = options.dtypes?.[key] ?? (isIntegerArray(firstData) ? 'int32' : 'float32');
      const flat = dtype === 'int32' ? new Int32Array(batch.length * size) : new Float32Array(batch.length * size);
      batch.forEach((sample, i) => {
        if (!(key in sample)) throw new Error(`toTensors: sample ${i} has no field '${key}'`);
        const v = data(sample[key]);
        if (typeof v === 'number') {
          if (size !== 1) throw new Error(`toTensors: field '${key}' of sample ${i} is a number, sample 0 has ${size} values`);
          flat[i] = v;
        } else {
          if (v.length !== size) throw new Error(`toTensors: field '${key}' of sample ${i} has ${v.length} values, sample 0 has ${size}`);
          flat.set(v, i * size);
        }
      });
      const t = tf.tensor(flat, [batch.length, ...shape], dtype);
      made.push(t);
      out[key] = t;
    }
  } catch (err) {
    tf.dispose(made);
    throw err;
  }
  return out;
}
