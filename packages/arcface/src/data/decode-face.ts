/** Decoding one face image for the network, shared by the training sources and verification. */
import { decodeImage, rawToTensor, resizeImage } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import { messageOf } from '@facelab/runtime';

/**
 * Decodes encoded image bytes (or a path) to float32 [size, size, 3] in [0, 255], resized only when `resize`.
 * Every error names `name` (the file, or the `.bin` image / `.rec` record the bytes came from).
 */
export async function decodeFace(source: string | Uint8Array, size: number, resize: boolean, name: string): Promise<tf.Tensor3D> {
  let raw;
  try {
    raw = await decodeImage(source, 3);
  } catch (err) {
    throw new Error(`${name}: ${messageOf(err)}`, { cause: err });
  }
  const t = tf.tidy(() => rawToTensor(raw, 'uint8').toFloat() as tf.Tensor3D);
  if (raw.width === size && raw.height === size) return t;
  if (!resize) {
    t.dispose();
    throw new Error(`${name}: image is ${raw.width}×${raw.height}, the model expects ${size}×${size} (pass resize: true to resize)`);
  }
  const r = resizeImage(t, { width: size, height: size });
  t.dispose();
  return r;
}
