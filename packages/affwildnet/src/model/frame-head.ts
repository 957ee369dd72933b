/**
 * A per-frame regressor sharing an AffWildNet's CNN: its FC features (time folded into the batch) → linear
 * (valence, arousal). AffWildNet trains the CNN on frames first and then the whole CNN-RNN; this is that
 * first stage, with no recurrent layers to run.
 */
import { tf } from '@facelab/core-tensor';

/** Model [B, T, H, W, 3] → [B·T, 2] through `model`'s `fc` layer (shared weights) and a new linear head. */
export function createFrameHead(model: tf.LayersModel): tf.LayersModel {
  const fc = model.layers.find((l) => l.name === 'fc_drop') ?? model.layers.find((l) => l.name === 'fc');
  if (fc === undefined) throw new Error(`createFrameHead: model '${model.name}' has no 'fc' layer (VGG backbones only)`);
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'frame_valence_arousal' }).apply(fc.output as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: model.inputs[0]!, outputs: out, name: `${model.name}_frames` });
}
