/**
 * Face frames read from files as the released AffWildNet expects them: RGB bytes x ↦ (x − 128)/128
 * (normalize.ts), faces resized to the network's input size.
 */
import { decodeImage } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import { normalizeRgbBytes } from './normalize.js';

/**
 * Reads a face image file as a normalised [size, size, 3] frame. A frame of another size is resized
 * (bilinear) unless `strict`, when it is an error naming the file.
 */
export async function readFaceFrame(path: string, size: number, strict = false): Promise<Float32Array> {
  const raw = await decodeImage(path, 3);
  if (raw.width === size && raw.height === size) return normalizeRgbBytes(raw.data);
  if (strict) throw new Error(`${path}: frame is ${raw.width}×${raw.height}, expected ${size}×${size}`);
  return tf.tidy(() => {
    const img = tf.tensor3d(Float32Array.from(raw.data), [raw.height, raw.width, 3]);
    const resized = tf.image.resizeBilinear(img, [size, size]);
    return tf.div(tf.sub(resized, 128), 128).dataSync() as Float32Array;
  });
}
