/**
 * Embedding on a chosen runtime (Node): tfjs, or the network exported to ONNX and run whole in onnxruntime-node.
 * The Node entry's `embed` and `EmbedOptions` are these; the browser entry keeps eval/embed.ts's tfjs-only ones.
 */
import { runtimePredictor, type InferenceRuntime, type InferenceSession, type tf } from '@facelab/core-tensor';
import { embed as embedOn, type EmbedOptions as TfjsEmbedOptions } from './embed.js';

/** Options of {@link embed}: eval/embed.ts's, and the runtime. */
export interface EmbedOptions extends TfjsEmbedOptions {
  /**
   * What runs the network: `'tfjs'` (default, the reference) or `'onnx'`, the model exported to ONNX and run
   * whole in onnxruntime-node (core-tensor's createInferenceSession; onnxruntime-node must be installed).
   */
  runtime?: InferenceRuntime;
  /** With runtime 'onnx': a session of this model to reuse (else one is made and released per call). */
  session?: InferenceSession;
}

/**
 * Embeds images [N, H, W, 3] (pixels in [0, 255]) with `model` on the chosen runtime: f(x) + f(mirror x) when
 * `flip`, then L2-normalised; one Float32Array per image.
 */
export function embed(model: tf.LayersModel, images: tf.Tensor4D, options: EmbedOptions = {}): Float32Array[] {
  const predictor = runtimePredictor(model, { runtime: options.runtime, session: options.session, label: 'embed' });
  try {
    return embedOn(model, images, options, predictor);
  } finally {
    predictor.dispose();
  }
}
