/**
 * fitAugment: trains E, D and A jointly on consecutive-frame pairs with {@link augmentLoss} and Adam, through
 * core-tensor's trainer (checkpoints and resume, progress, JSONL log, curves). With `latentModel:
 * 'least-squares'` A and b are not trained by gradient but refitted in closed form on the current latents
 * every `refitEvery` steps (alternating optimisation), then held fixed while E and D train.
 */
import { tf, train, trainRunOptions, type TrainResult, type TrainRunOptions } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import { leastSquaresAffine } from '../linalg/affine.js';
import { pairBatch } from '../data/batch.js';
import { framePairs, type FramePair, type FrameSequences } from '../data/sequences.js';
import { augmentLoss, type AugmentLossWeights } from '../loss/augment-loss.js';
import type { AugmentAutoencoder } from '../model/autoencoder.js';
import { checkImages } from '../model/types.js';

/** Options of {@link fitAugment}. */
export interface FitAugmentOptions extends TrainRunOptions {
  /** Training steps (total, counting steps before a resume). */
  steps: number;
  /** Pairs per batch (default 16). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Loss weights (default {@link AUGMENT_LOSS_WEIGHTS}). */
  weights?: AugmentLossWeights;
  /** 'joint' (default): A, b trained with E, D by gradient; 'least-squares': refitted in closed form. */
  latentModel?: 'joint' | 'least-squares';
  /** Steps between closed-form refits of A (default 25; 'least-squares' only; the first is at step 0). */
  refitEvery?: number;
  /** Pairs a refit uses, evenly spaced over all pairs (default 512). */
  refitPairs?: number;
  /** Seed of the batch order (default 1). */
  seed?: number;
}

/** Encodes the pairs in chunks and sets A, b to their least-squares fit. */
function refitLatentModel(net: AugmentAutoencoder, set: FrameSequences, pairs: readonly FramePair[]): void {
  const d = net.latentDim;
  const z0 = new Float32Array(pairs.length * d);
  const z1 = new Float32Array(pairs.length * d);
  for (let start = 0; start < pairs.length; start += 64) {
    const chunk = pairs.slice(start, start + 64);
    const { x0, x1 } = pairBatch(set, chunk);
    tf.tidy(() => {
      z0.set(net.encode(x0).dataSync(), start * d);
      z1.set(net.encode(x1).dataSync(), start * d);
    });
    tf.dispose([x0, x1]);
  }
  const { a, b } = leastSquaresAffine(z0, z1, d, net.dynamics.bias);
  net.dynamics.assign(a, b);
}

/** Trains `net` on the consecutive pairs of `set`. */
export async function fitAugment(net: AugmentAutoencoder, set: FrameSequences, options: FitAugmentOptions): Promise<TrainResult> {
  checkPositiveInt(options.steps, 'steps');
  const probe = tf.zeros([1, ...set.imageShape]);
  try {
    checkImages(net, probe, 'fitAugment');
  } finally {
    probe.dispose();
  }
  const pairs = framePairs(set);
  const batchSize = options.batchSize ?? 16;
  checkPositiveInt(batchSize, 'batchSize');
  const mode = options.latentModel ?? 'joint';
  if (mode !== 'joint' && mode !== 'least-squares') throw new Error(`latentModel must be 'joint' or 'least-squares', got '${String(mode)}'`);
  const latent = net.dynamics.model;
  const latentTrainable = latent.trainable;
  if (mode === 'least-squares') latent.trainable = false;
  const refitEvery = options.refitEvery ?? 25;
  checkPositiveInt(refitEvery, 'refitEvery');
  const refitCount = Math.min(options.refitPairs ?? 512, pairs.length);
  const refitSet = Array.from({ length: refitCount }, (_, i) => pairs[Math.floor((i * pairs.length) / refitCount)]!);
  const loss = (b: { x0: tf.Tensor4D; x1: tf.Tensor4D }) => augmentLoss(net, b.x0, b.x1, options.weights);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  try {
    return await train({
      model: { encoder: net.encoder, decoder: net.decoder, latent },
      optimizer,
      steps: options.steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => pairBatch(set, Array.from({ length: batchSize }, () => pairs[rng.int(pairs.length)]!)),
      ...(mode === 'joint'
        ? { loss }
        : {
            step: (b: { x0: tf.Tensor4D; x1: tf.Tensor4D }, ctx) => {
              if (ctx.step % refitEvery === 0) refitLatentModel(net, set, refitSet);
              return ctx.minimize(() => loss(b));
            },
          }),
      ...trainRunOptions(options, false),
    });
  } finally {
    optimizer.dispose();
    latent.trainable = latentTrainable;
  }
}
