/** Face embeddings for verification: the model's output for an image (+ its mirror), L2-normalised. */
import { tf } from '@facelab/core-tensor';

/** Options of {@link embed}. */
export interface EmbedOptions {
  /** Add the embedding of the horizontally mirrored image before normalising (default true). */
  flip?: boolean;
  /** Images per forward pass (default 32). */
  batchSize?: number;
}

/** Throws naming the argument when `images` does not fit the model input. */
function checkImages(model: tf.LayersModel, images: tf.Tensor4D): void {
  const want = model.inputs[0]!.shape;
  if (images.rank !== 4 || images.shape[1] !== want[1] || images.shape[2] !== want[2] || images.shape[3] !== want[3]) {
    throw new Error(`embed: images has shape [${images.shape}], the model expects [N, ${want.slice(1).join(', ')}]`);
  }
}

/** The L2-normalised embeddings [size, D] of images[start, start + size) (f(x) + f(mirror x) when `flip`). */
function embedBatch(model: tf.LayersModel, images: tf.Tensor4D, start: number, size: number, flip: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
    let e = model.predict(x) as tf.Tensor2D;
    if (flip) e = tf.add(e, model.predict(tf.reverse(x, 2)) as tf.Tensor2D);
    return tf.div(e, tf.maximum(tf.norm(e, 'euclidean', 1, true), 1e-12));
  });
}

/** [start, size] of each batch of at most `batchSize` out of `n`. */
function batchRanges(n: number, batchSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(batchSize, n - start)]);
  return out;
}

/** Splits a batch's values into one row per image, checking each is finite. */
function toRows(data: Float32Array, dim: number, start: number, size: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < size; i++) {
    const row = data.slice(i * dim, (i + 1) * dim);
    if (!row.every(Number.isFinite)) throw new Error(`embed: the embedding of images[${start + i}] is not finite (NaN in features)`);
    out.push(row);
  }
  return out;
}

/**
 * Embeds images [N, H, W, 3] (pixels in [0, 255]) with `model`: f(x) + f(mirror x) when `flip`, then
 * L2-normalised. Returns one Float32Array per image. Errors name the argument when the image size does not
 * match the model input or an embedding is not finite. Reads results synchronously: on webgpu in a browser use
 * {@link embedAsync}.
 */
export function embed(model: tf.LayersModel, images: tf.Tensor4D, options: EmbedOptions = {}): Float32Array[] {
  const { flip = true, batchSize = 32 } = options;
  checkImages(model, images);
  return batchRanges(images.shape[0], batchSize).flatMap(([start, size]) => {
    const rows = embedBatch(model, images, start, size, flip);
    try {
      return toRows(rows.dataSync() as Float32Array, rows.shape[1], start, size);
    } finally {
      rows.dispose();
    }
  });
}

/**
 * {@link embed} reading each batch's result asynchronously (`await tensor.data()`), as a browser's webgpu backend
 * needs: tfjs-backend-webgpu 4.22's synchronous read returned wrong values in headless Chromium 156.
 */
export async function embedAsync(model: tf.LayersModel, images: tf.Tensor4D, options: EmbedOptions = {}): Promise<Float32Array[]> {
  const { flip = true, batchSize = 32 } = options;
  checkImages(model, images);
  const out: Float32Array[] = [];
  for (const [start, size] of batchRanges(images.shape[0], batchSize)) {
    const rows = embedBatch(model, images, start, size, flip);
    try {
      out.push(...toRows((await rows.data()) as Float32Array, rows.shape[1], start, size));
    } finally {
      rows.dispose();
    }
  }
  return out;
}
