/**
 * A 1-D CNN for physiological signals (ours; upstream has no physiological network): two blocks of
 * conv1d (k 5, pad 2) → batch norm → ReLU → max-pool 2 with 32 and 64 channels, then a global average over
 * time → 64 features per step. Frames are [N, T, C] (C channels, e.g. EDA and ECG).
 */
import { tf } from '@facelab/core-tensor';
import { conv1dBlock } from './conv1d.js';

/** Options of {@link physioFeatures}. */
export interface PhysioOptions {
  name?: string;
  seed?: number;
}

/** Features per step of {@link physioFeatures}. */
export const PHYSIO_FEATURES = 64;

/** Physiological features of frames [N, T, C] → [N, 64]; needs T ≥ 4. */
export function physioFeatures(frames: tf.SymbolicTensor, options: PhysioOptions = {}): tf.SymbolicTensor {
  const { name = 'physio', seed } = options;
  const [, t, c] = frames.shape;
  if (frames.shape.length !== 3 || t == null || c == null || t < 4) {
    throw new Error(`physio: frames must be [N, samples ≥ 4, channels], got ${JSON.stringify(frames.shape)}`);
  }
  let y = frames;
  [32, 64].forEach((filters, i) => {
    y = conv1dBlock(y, { filters, kernelSize: 5, padding: 2, batchNorm: true, activation: 'relu', pool: 2, name: `${name}_b${i + 1}`, seed });
  });
  return tf.layers.globalAveragePooling1d({ name: `${name}_gap` }).apply(y) as tf.SymbolicTensor;
}
