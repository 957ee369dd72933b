/**
 * Quirk: when the function given to tfjs-core's gradient functions throws, the forward pass's tensors are
 * disposed (it runs in a tidy), but the copies the tape saved for the backward pass (`node.saved`, kept with
 * `keep`) are not: the backward pass that would free them never runs, and the next gradient call starts a new
 * tape over them. {@link variableGradsReleasing} frees them. Written for @tensorflow/tfjs-core 4.22.0; remove
 * when `Engine.gradients` cleans its tape on error (the pin test's leak check then fails): callers then use
 * `tf.variableGrads` and this file goes.
 */
import { tf } from '../../tf.js';

/** The tfjs-core version this quirk was written for. */
export const THROWING_GRADIENTS_PIN = { name: '@tensorflow/tfjs-core', version: '4.22.0' } as const;

/** The parts of tfjs-core's Engine state the cleanup touches. */
interface EngineTapeState {
  gradientDepth: number;
  activeTape: { saved?: tf.Tensor[] }[] | null;
}

/** `tf.variableGrads(f, varList)`; when `f` throws, the tape's saved tensors are disposed before rethrowing. */
export function variableGradsReleasing(
  f: () => tf.Scalar,
  varList: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(f, varList);
  } catch (err) {
    const state = (tf.engine() as unknown as { state: EngineTapeState }).state;
    // Only the outermost gradient call owns the tape; a nested one's error propagates to it.
    if (state.gradientDepth === 0 && state.activeTape !== null) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = null;
    }
    throw err;
  }
}
