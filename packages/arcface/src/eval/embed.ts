/** Face embeddings for verification: the model's output for an image (+ its mirror), L2-normalised. */
import { runtimePredictor, tf, type InferenceRuntime, type InferenceSession } from '@facelab/core-tensor';

/** Options of {@link embed}. */
export interface EmbedOptions {
  /** Add the embedding of the horizontally mirrored image before normalising (default true). */
  flip?: boolean;
  /** Images per forward pass (default 32). */
  batchSize?: number;
  /**
   * What runs the network: `'tfjs'` (default, the reference) or `'onnx'`, the model exported to ONNX and run
   * whole in onnxruntime-node (core-tensor's createInferenceSession; onnxruntime-node must be installed).
   */
  runtime?: InferenceRuntime;
  /** With runtime 'onnx': a session of this model to reuse (else one is made and released per call). */
  session?: InferenceSession;
}

/**
 * Embeds images [N, H, W, 3] (pixels in [0, 255]) with `model`: f(x) + f(mirror x) when `flip`, then
 * L2-normalised. Returns one Float32Array per image. Errors name the argument when the image size does not
 * match the model input or an embedding is not finite.
 */
export function embed(model: tf.LayersModel, images: tf.Tensor4D, options: EmbedOptions = {}): Float32Array[] {
  const { flip = true, batchSize = 32 } = options;
  const want = model.inputs[0]!.shape;
  if (images.rank !== 4 || images.shape[1] !== want[1] || images.shape[2] !== want[2] || images.shape[3] !== want[3]) {
    throw new Error(`embed: images has shape [${images.shape}], the model expects [N, ${want.slice(1).join(', ')}]`);
  }
  const predictor = runtimePredictor(model, { runtime: options.runtime, session: options.session, label: 'embed' });
  try {
    return embedBatches(images, (x) => predictor.predict(x) as tf.Tensor2D, flip, batchSize);
  } finally {
    predictor.dispose();
  }
}

function embedBatches(images: tf.Tensor4D, forward: (x: tf.Tensor4D) => tf.Tensor2D, flip: boolean, batchSize: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let start = 0; start < images.shape[0]; start += batchSize) {
    const size = Math.min(batchSize, images.shape[0] - start);
    const rows = tf.tidy(() => {
      const x = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
      let e = forward(x);
      if (flip) e = tf.add(e, forward(tf.reverse(x, 2)));
      return tf.div(e, tf.maximum(tf.norm(e, 'euclidean', 1, true), 1e-12));
    });
    const data = rows.dataSync() as Float32Array;
    const dim = rows.shape[1]!;
    rows.dispose();
    for (let i = 0; i < size; i++) {
      const row = data.slice(i * dim, (i + 1) * dim);
      if (!row.every(Number.isFinite)) throw new Error(`embed: the embedding of images[${start + i}] is not finite (NaN in features)`);
      out.push(row);
    }
  }
  return out;
}
