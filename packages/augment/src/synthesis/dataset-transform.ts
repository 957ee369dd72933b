/**
 * Learned augmentation on the fly in any @facelab/data pipeline: a batch transform that appends augmented
 * copies of each sample (other fields copied), for `dataset.batch(n).map(learnedAugmentation(model, …))`.
 */
import { mixSeed } from '@facelab/runtime';
import { stackFrames } from '../data/batch.js';
import type { AugmentModel } from '../model/types.js';
import { augment } from './augment.js';

/** Options of {@link learnedAugmentation}. */
export interface LearnedAugmentationOptions {
  /** K: offsets are drawn from ±1..K steps (with `interpolate` offsets between neighbours). */
  steps: number;
  interpolate?: number;
  /** Augmented copies appended per sample (default 1). */
  copies?: number;
  /** Seed; batch i draws with mixSeed(seed, i), so a pipeline replays the same augmentations (default 1). */
  seed?: number;
  /** The field holding the HWC Float32Array image (default 'image'). */
  key?: string;
}

/** A batch transform `(batch, index) → batch + augmented copies`; the copies carry `augmentOffset`. */
export function learnedAugmentation<T extends object>(
  model: AugmentModel,
  options: LearnedAugmentationOptions,
): (batch: T[], index: number) => (T | (T & { augmentOffset: number }))[] {
  const key = options.key ?? 'image';
  const copies = options.copies ?? 1;
  const size = model.imageShape[0] * model.imageShape[1] * model.imageShape[2];
  return (batch, index) => {
    if (batch.length === 0) return batch;
    const images = batch.map((item, i) => {
      const v = (item as Record<string, unknown>)[key];
      if (!(v instanceof Float32Array) || v.length !== size) {
        throw new Error(`learnedAugmentation: sample ${i} of batch ${index} needs '${key}' as a Float32Array of ${size} values (${model.imageShape.join('×')})`);
      }
      return v;
    });
    const x = stackFrames(images, model.imageShape);
    try {
      const out = augment(model, x, { steps: options.steps, interpolate: options.interpolate, samples: copies, seed: mixSeed(options.seed ?? 1, index) });
      const data = out.images.dataSync() as Float32Array;
      out.images.dispose();
      const extra = batch.flatMap((item, i) =>
        out.offsets[i]!.map((offset, j) => ({ ...item, [key]: data.slice((i * copies + j) * size, (i * copies + j + 1) * size), augmentOffset: offset })),
      );
      return [...batch, ...extra];
    } finally {
      x.dispose();
    }
  };
}
