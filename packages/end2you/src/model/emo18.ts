/**
 * Emo18 (Tzirakis, Zhang & Schuller, ICASSP 2018): three blocks of conv1d → batch norm → LeakyReLU → max-pool,
 * channels 64/128/256, kernels 8/6/6 (padding 3/2/2), pools 10/8/8; the flattened output is the feature vector.
 * The pools shrink a frame 640-fold, so a frame needs at least {@link EMO18_MIN_SAMPLES} samples.
 */
import type { tf } from '@facelab/core-tensor';
import { conv1dOutputLength, convStack } from './conv1d.js';

/** Options of {@link emo18Features}. */
export interface Emo18Options {
  name?: string;
  seed?: number;
}

const BLOCKS = [
  { filters: 64, kernelSize: 8, padding: 3, pool: 10 },
  { filters: 128, kernelSize: 6, padding: 2, pool: 8 },
  { filters: 256, kernelSize: 6, padding: 2, pool: 8 },
] as const;

/** The shortest frame Emo18 takes: 731 samples (45.7 ms at 16 kHz; a 40 ms, 640-sample frame is too short). */
export const EMO18_MIN_SAMPLES = 731;

/** Emo18's time steps after its last pool on `samples`-sample frames (0 when the frame is too short). */
function emo18Steps(samples: number): number {
  let t = samples;
  for (const b of BLOCKS) t = Math.max(0, conv1dOutputLength(t, b.kernelSize, b.padding, b.pool));
  return t;
}

/** Emo18's feature count on `samples`-sample frames (256 × the remaining steps). */
export function emo18FeatureCount(samples: number): number {
  if (!(samples >= EMO18_MIN_SAMPLES)) {
    throw new Error(
      `emo18: frames of ${samples} samples are too short; Emo18 needs at least ${EMO18_MIN_SAMPLES} samples ` +
        `(its pools shrink a frame 640-fold), e.g. 46 ms at 16 kHz — use emo16 or zhao19, or longer label steps`,
    );
  }
  return 256 * emo18Steps(samples);
}

/** Emo18 features of raw-audio frames [N, T] → [N, 256·steps]; throws below {@link EMO18_MIN_SAMPLES} samples. */
export function emo18Features(frames: tf.SymbolicTensor, options: Emo18Options = {}): tf.SymbolicTensor {
  const { name = 'emo18', seed } = options;
  const samples = frames.shape[1] ?? NaN;
  emo18FeatureCount(samples);
  return convStack(frames, BLOCKS, 'leakyRelu', name, seed);
}
