/**
 * Fusing per-step modality features [B, S, F_m] (upstream `models/multimodal/fusion/`):
 *   concat:    [f_1; …; f_M]
 *   attention: p_m = W_m f_m + b_m (256 each), p = [p_1; …; p_M], a = softmax(W p + b), out = a ⊙ p  (256·M)
 */
import { tf } from '@facelab/core-tensor';
import { layerSeed } from '@facelab/runtime';

/** How {@link fuseModalities} combines modalities. */
export type FusionMethod = 'concat' | 'attention';

/** Fusion names, for argument checks. */
export const FUSION_METHODS: readonly FusionMethod[] = ['concat', 'attention'];

/** The attention projection width per modality (upstream: 256). */
export const ATTENTION_UNITS = 256;

/** Fuses [B, S, F_m] features into one [B, S, F] sequence (see the module comment). */
export function fuseModalities(
  features: tf.SymbolicTensor[],
  method: FusionMethod,
  options: { name?: string; seed?: number } = {},
): tf.SymbolicTensor {
  const { name = 'fusion', seed } = options;
  if (features.length < 2) throw new Error(`fusion: needs at least 2 modalities, got ${features.length}`);
  if (method === 'concat') return tf.layers.concatenate({ axis: -1, name: `${name}_concat` }).apply(features) as tf.SymbolicTensor;
  if (method !== 'attention') throw new Error(`fusion: method must be one of ${FUSION_METHODS.join(', ')}, got '${String(method)}'`);
  const dense = (units: number, layer: string) =>
    tf.layers.dense({ units, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, `${layer}/kernel`) }), name: layer });
  const projected = features.map((f, i) => dense(ATTENTION_UNITS, `${name}_proj${i + 1}`).apply(f) as tf.SymbolicTensor);
  const joined = tf.layers.concatenate({ axis: -1, name: `${name}_concat` }).apply(projected) as tf.SymbolicTensor;
  const logits = dense(ATTENTION_UNITS * features.length, `${name}_gate`).apply(joined) as tf.SymbolicTensor;
  const gate = tf.layers.softmax({ axis: -1, name: `${name}_softmax` }).apply(logits) as tf.SymbolicTensor;
  return tf.layers.multiply({ name: `${name}_apply` }).apply([gate, joined]) as tf.SymbolicTensor;
}
