import { tf } from '@facelab/core-tensor';

/**
 * A small CNN regressing (valence, arousal) from synthetic faces: four conv3×3 + ReLU + max-pool blocks,
 * FC 64, linear head; seeded He-normal init. No batch norm: on these faces a conv-BN net of the same size
 * fitted its training batches but generalised far worse (held-out CCC ≈ 0.2–0.3 against ≈ 0.87), and BN's
 * gradients make each wasm step about 3× slower.
 */
export function affectCnn(size: number, seed = 10): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'face' });
  let x: tf.SymbolicTensor = input;
  for (const [i, filters] of [8, 16, 32, 32].entries()) {
    const kernelInitializer = tf.initializers.heNormal({ seed: seed + i });
    x = tf.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer, name: `conv${i + 1}` })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i + 1}` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 4 }), name: 'fc' })
    .apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 5 }), name: 'va' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'affect_cnn' });
}
