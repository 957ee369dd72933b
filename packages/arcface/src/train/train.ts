/**
 * Training a face-recognition model with a margin loss, the insightface recipe: SGD momentum 0.9, weight decay
 * 5e-4, polynomial LR decay (power 2) with linear warm-up, the backbone's gradients clipped at global norm 5
 * (arcface_torch's `clip_grad_norm_(backbone.parameters(), 5)`; the class centres are not clipped), random
 * horizontal flips. Runs on core-tensor's trainer (checkpoints, resume, JSONL log, curves, progress).
 */
import {
  polynomialLr,
  tf,
  train,
  trainRunOptions,
  type TrainRunOptions,
  type TrainResult,
} from '@facelab/core-tensor';
import { checkPositiveInt, mixSeed, Rng } from '@facelab/runtime';
import { marginSoftmaxLoss, type MarginOptions } from '../loss/margin.js';
import { ArcMarginHead } from '../model/head.js';
import { MAX_CLASSES, type FaceSource } from './sources.js';

/** Options of {@link trainArcFace}. */
export interface TrainArcFaceOptions extends TrainRunOptions {
  /** Backbone mapping [B, size, size, 3] pixels to embeddings (e.g. {@link iresnet}). */
  backbone: tf.LayersModel;
  /** Training images and labels. */
  data: FaceSource;
  /** Most identities `data` may have (default {@link MAX_CLASSES}): the margin head holds one centre each. */
  maxClasses?: number;
  /** Margin (default ArcFace: s 64, m2 0.5). */
  margin?: MarginOptions;
  /** Total optimisation steps. */
  steps: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Peak learning rate (default 0.1). */
  lr?: number;
  /** Linear warm-up steps (default 0). */
  warmupSteps?: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** L2 weight decay (default 5e-4). */
  weightDecay?: number;
  /** Gradient clipping by global norm (default 5). */
  clipNorm?: number;
  /**
   * What clipping covers: 'backbone' (default, as arcface_torch) or 'all' (backbone and class centres under one
   * global norm).
   */
  clipScope?: 'backbone' | 'all';
  /** Random horizontal flips (default true). */
  flip?: boolean;
  /** Seed of shuffling, flips and head initialisation (default 1). */
  seed?: number;
}

/** What {@link trainArcFace} returns. */
export interface TrainArcFaceResult {
  /** Backbone + head, the model that was trained (backbone weights are shared with `options.backbone`). */
  net: tf.LayersModel;
  head: ArcMarginHead;
  result: TrainResult;
}

/** Image positions of step `step`: consecutive slices of a per-epoch seeded permutation (resume-safe). */
function batchIndices(step: number, batchSize: number, n: number, seed: number, cache: Map<number, number[]>): number[] {
  const out: number[] = [];
  for (let p = step * batchSize; p < (step + 1) * batchSize; p++) {
    const epoch = Math.floor(p / n);
    let perm = cache.get(epoch);
    if (perm === undefined) {
      cache.clear();
      perm = new Rng(mixSeed(seed, epoch)).shuffle(Array.from({ length: n }, (_, i) => i));
      cache.set(epoch, perm);
    }
    out.push(perm[p % n]!);
  }
  return out;
}

/**
 * Trains `backbone` + an {@link ArcMarginHead} with the margin softmax loss and resolves with the trained
 * network. A non-finite loss stops with the trainer's NonFiniteLossError naming the step, before the update.
 */
export async function trainArcFace(options: TrainArcFaceOptions): Promise<TrainArcFaceResult> {
  const { backbone, data, steps, batchSize = 32, seed = 1, flip = true } = options;
  checkPositiveInt(steps, 'trainArcFace: steps');
  checkPositiveInt(batchSize, 'trainArcFace: batchSize');
  const clipScope = options.clipScope ?? 'backbone';
  if (clipScope !== 'backbone' && clipScope !== 'all') throw new Error(`trainArcFace: clipScope must be 'backbone' or 'all', got '${clipScope}'`);
  checkPositiveInt(data.numClasses, 'trainArcFace: data.numClasses');
  const maxClasses = options.maxClasses ?? MAX_CLASSES;
  if (data.numClasses > maxClasses) {
    throw new Error(`trainArcFace: data.numClasses is ${data.numClasses}, more than maxClasses ${maxClasses} (the margin head holds one centre per identity)`);
  }
  const size = backbone.inputs[0]!.shape[1]!;
  const head = new ArcMarginHead({ numClasses: data.numClasses, seed, name: 'arc_margin_head' });
  const net = tf.model({ inputs: backbone.inputs, outputs: head.apply(backbone.outputs[0]!) as tf.SymbolicTensor, name: 'arcface_net' });
  const margin = options.margin ?? {};
  const centres = new Set(head.trainableWeights.map((w) => (w.read() as tf.Variable).name));
  const cache = new Map<number, number[]>();
  const result = await train<{ x: tf.Tensor4D; y: number[] }>({
    model: net,
    // The optimizer's state lives in the checkpoints; the trainer disposes it when the run ends.
    optimizer: tf.train.momentum(options.lr ?? 0.1, options.momentum ?? 0.9),
    disposeOptimizers: true,
    lr: polynomialLr({ lr: options.lr ?? 0.1, totalSteps: steps, warmupSteps: options.warmupSteps ?? 0 }),
    weightDecay: options.weightDecay ?? 5e-4,
    clipNorm: options.clipNorm ?? 5,
    clipNormFilter: clipScope === 'backbone' ? (v) => !centres.has(v.name) : undefined,
    steps,
    seed,
    batchAt: async (step, rng) => {
      const idx = batchIndices(step, batchSize, data.length, seed, cache);
      const images: tf.Tensor3D[] = [];
      try {
        for (const i of idx) {
          const img = await data.image(i, size);
          const flipped = flip && rng.next() < 0.5;
          images.push(flipped ? tf.tidy(() => tf.reverse(img, 1)) : img);
          if (flipped) img.dispose();
        }
        return { x: tf.stack(images) as tf.Tensor4D, y: idx.map((i) => data.labelOf(i)) };
      } finally {
        tf.dispose(images);
      }
    },
    loss: ({ x, y }) => ({ loss: marginSoftmaxLoss(net.apply(x, { training: true }) as tf.Tensor2D, y, margin) }),
    ...trainRunOptions(options, true),
  });
  return { net, head, result };
}
