/**
 * The paper's use of the augmentation: train a downstream model on a small labelled set with no, affine or
 * learned augmentation at an equal budget (the same steps, batch size and share of augmented images) and
 * compare a metric on held-out images. Here the downstream task is identity classification, whose labels
 * the pose and expression changes the transformation learned from video leave unchanged.
 */
import { crossEntropyLoss, tf, train } from '@facelab/core-tensor';
import { checkPositiveInt, mixSeed, type Rng } from '@facelab/runtime';
import { stackFrames } from '../data/batch.js';
import { createIdentityClassifier } from '../model/classifier.js';
import type { AugmentModel, ImageShape } from '../model/types.js';
import { affineAugment, type AffineAugmentOptions } from '../synthesis/affine.js';
import { augment } from '../synthesis/augment.js';

/** Images (HWC floats in [0, 1]) with integer class labels. */
export interface LabelledImages {
  imageShape: ImageShape;
  images: readonly Float32Array[];
  labels: readonly number[];
}

/** Which augmentation the downstream model trains with. */
export type DownstreamAugmentation =
  | { kind: 'none' }
  | { kind: 'affine'; options?: AffineAugmentOptions }
  | { kind: 'learned'; model: AugmentModel; steps: number; interpolate?: number; mode?: 'decode' | 'residual' };

/** Options of {@link evaluateDownstream}. */
export interface DownstreamOptions {
  augmentation: DownstreamAugmentation;
  /** Number of classes (labels are 0..classes − 1). */
  classes: number;
  /** Training steps (default 300). */
  steps?: number;
  /** Images per batch (default 16). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Share of each batch replaced by augmented images (default 0.5; ignored by 'none'). */
  probability?: number;
  /** Seed of the classifier's initialisation, the batches and the augmentations (default 1). */
  seed?: number;
}

/** Held-out accuracy of {@link evaluateDownstream} and the final training loss. */
export interface DownstreamResult {
  accuracy: number;
  finalLoss: number;
}

function checkSet(set: LabelledImages, classes: number, what: string): void {
  const [h, w, c] = set.imageShape;
  if (set.images.length === 0) throw new Error(`${what}: no images`);
  if (set.labels.length !== set.images.length) throw new Error(`${what}: ${set.images.length} images but ${set.labels.length} labels`);
  set.images.forEach((im, i) => {
    if (im.length !== h * w * c) throw new Error(`${what}: image ${i} has ${im.length} values, expected ${h * w * c} (${h}×${w}×${c})`);
  });
  set.labels.forEach((l, i) => {
    if (!(Number.isInteger(l) && l >= 0 && l < classes)) throw new Error(`${what}: label ${i} is ${l}, expected an integer in 0..${classes - 1}`);
  });
}

/** Replaces the images of `x` chosen by `rng` (each with `p`) by their augmentation. */
function augmentBatch(x: tf.Tensor4D, aug: DownstreamAugmentation, p: number, rng: Rng): tf.Tensor4D {
  if (aug.kind === 'none') return x.clone();
  const n = x.shape[0];
  const mask = Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
  const seed = rng.int(2 ** 31);
  return tf.tidy(() => {
    let augmented: tf.Tensor4D;
    if (aug.kind === 'affine') augmented = affineAugment(x, rng, aug.options);
    else {
      const out = augment(aug.model, x, { steps: aug.steps, interpolate: aug.interpolate, mode: aug.mode, samples: 1, seed });
      augmented = out.images.squeeze([1]) as tf.Tensor4D;
      out.images.dispose();
    }
    const m = tf.tensor4d(mask, [n, 1, 1, 1]);
    return augmented.mul(m).add(x.mul(tf.scalar(1).sub(m))) as tf.Tensor4D;
  });
}

/** Trains the identity classifier on `trainSet` with the given augmentation and scores it on `testSet`. */
export async function evaluateDownstream(trainSet: LabelledImages, testSet: LabelledImages, options: DownstreamOptions): Promise<DownstreamResult> {
  const { classes, augmentation } = options;
  checkPositiveInt(classes, 'classes');
  checkSet(trainSet, classes, 'downstream training set');
  checkSet(testSet, classes, 'downstream test set');
  if (augmentation.kind === 'learned') {
    const [a, b] = [augmentation.model.imageShape, trainSet.imageShape];
    if (a.join() !== b.join()) throw new Error(`downstream: the augmentation model takes ${a.join('×')} images, the set has ${b.join('×')}`);
  }
  const steps = options.steps ?? 300;
  const batchSize = options.batchSize ?? 16;
  checkPositiveInt(steps, 'steps');
  checkPositiveInt(batchSize, 'batchSize');
  const p = options.probability ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new Error(`probability must be in [0, 1], got ${p}`);
  const seed = options.seed ?? 1;
  const model = createIdentityClassifier({ imageShape: trainSet.imageShape, classes, seed: mixSeed(seed, 0xc1a) });
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  try {
    const result = await train({
      model,
      optimizer,
      steps,
      seed,
      batchAt: (_step, rng) => {
        const idx = Array.from({ length: batchSize }, () => rng.int(trainSet.images.length));
        const clean = stackFrames(idx.map((i) => trainSet.images[i]!), trainSet.imageShape);
        const x = augmentBatch(clean, augmentation, p, rng);
        clean.dispose();
        return { x, y: tf.tensor1d(idx.map((i) => trainSet.labels[i]!), 'int32') };
      },
      loss: (b) => ({ loss: crossEntropyLoss(b.y, model.apply(b.x, { training: true }) as tf.Tensor) }),
      progress: false,
    });
    let correct = 0;
    for (let start = 0; start < testSet.images.length; start += 64) {
      const images = testSet.images.slice(start, start + 64);
      const x = stackFrames(images, testSet.imageShape);
      const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
      x.dispose();
      predicted.forEach((c, i) => (correct += c === testSet.labels[start + i] ? 1 : 0));
    }
    return { accuracy: correct / testSet.images.length, finalLoss: result.records.at(-1)!.loss };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
