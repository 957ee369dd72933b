/**
 * Zhao19 (Zhao, Mao & Chen, Biomed. Signal Process. Control 2019; upstream `models/audio/zhao19.py`): four
 * blocks of conv1d (k 3, pad 1) → batch norm → ELU → max-pool 4, channels 64/64/128/128, flattened.
 * 640 samples → 2 steps × 128 = 256 features.
 */
import type { tf } from '@facelab/core-tensor';
import { conv1dOutputLength, convStack } from './conv1d.js';

/** Options of {@link zhao19Features}. */
export interface Zhao19Options {
  name?: string;
  seed?: number;
}

const BLOCKS = [64, 64, 128, 128].map((filters) => ({ filters, kernelSize: 3, padding: 1, pool: 4 }));

/** Zhao19's feature count on `samples`-sample frames (128 × the remaining steps; needs T ≥ 256). */
export function zhao19FeatureCount(samples: number): number {
  let t = samples;
  for (const b of BLOCKS) t = conv1dOutputLength(t, b.kernelSize, b.padding, b.pool);
  if (!(t >= 1)) throw new Error(`zhao19: frames of ${samples} samples are too short; Zhao19 needs at least 256 samples`);
  return 128 * t;
}

/** Zhao19 features of raw-audio frames [N, T] → [N, 128·steps]. */
export function zhao19Features(frames: tf.SymbolicTensor, options: Zhao19Options = {}): tf.SymbolicTensor {
  const { name = 'zhao19', seed } = options;
  zhao19FeatureCount(frames.shape[1] ?? NaN);
  return convStack(frames, BLOCKS, 'elu', name, seed);
}
