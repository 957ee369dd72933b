/**
 * fitDeblur: trains the deblurring stream on (blurred, sharp) pairs with the reconstruction loss and, when an
 * identity net is given, the identity term through that frozen net (the two-stream network); without one it is
 * the deblur-only ablation. fitIdentityNet: the identity stream's own training (ArcFace on sharp faces with
 * identity labels, @facelab/arcface's trainArcFace). Both run on core-tensor's trainer: checkpoints, exact resume,
 * progress bar, JSONL log and PNG curves.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tensorFaceSource, trainArcFace, type MarginOptions } from '@facelab/arcface';
import { disposeOptimizer, tf, train, type TrainResult, type TrainerCallbacks } from '@facelab/core-tensor';
import { writeFileAtomic } from '@facelab/runtime';
import type { PairSet } from '../data/pair-folders.js';
import { deblurLoss, TWO_STREAM_WEIGHTS, type DeblurLossWeights } from '../loss/deblur-loss.js';
import { runDeblur, type DeblurNet } from '../model/deblur-net.js';
import { identityEmbedding } from '../model/identity-net.js';

/** Options of {@link fitDeblur}. */
export interface FitDeblurOptions {
  /** The deblurring network (trained in place). */
  net: DeblurNet;
  /** Training pairs, at the network's size. */
  data: PairSet;
  /** The frozen identity stream; without it the identity term is off (deblur-only). */
  identity?: tf.LayersModel;
  /** Loss weights (default: L1 1, and identity 0.1 when `identity` is given; see TWO_STREAM_WEIGHTS). */
  loss?: DeblurLossWeights;
  /** Optimisation steps. */
  steps: number;
  /** Pairs per step (default 16). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Random horizontal flips of both images (default true). */
  flip?: boolean;
  /** Seed of batches and flips (default 1). */
  seed?: number;
  checkpoint?: { dir: string; every: number; keep?: number };
  resume?: boolean | string;
  log?: string;
  curves?: string;
  /** Progress bar (default true). */
  progress?: boolean;
  callbacks?: TrainerCallbacks;
}

/** The file beside the checkpoints that records the network and loss they belong to. */
export const DEBLUR_RUN_FILE = 'deblur-run.json';

function positiveInt(v: unknown, what: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`fitDeblur: ${what} must be a positive integer, got ${String(v)}`);
  return v as number;
}

/** Refuses to resume from checkpoints of another network or loss (the weights would load into the wrong model). */
async function checkRun(dir: string, mine: string, resuming: boolean): Promise<void> {
  const file = join(dir, DEBLUR_RUN_FILE);
  const stored = await readFile(file, 'utf8').catch(() => undefined);
  if (resuming && stored !== undefined && stored.trim() !== mine) {
    throw new Error(`${file}: the checkpoints here are of another run (${stored.trim()}), not of this one (${mine})`);
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, mine + '\n');
}

/** Stacks pairs `idx` of a PairSet into [B, s, s, 3] tensors, flipping those with `flips[i]`. */
export function pairBatch(data: PairSet, idx: readonly number[], flips?: readonly boolean[]): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const s = data.size;
  const len = s * s * 3;
  const xb = new Float32Array(idx.length * len);
  const yb = new Float32Array(idx.length * len);
  idx.forEach((i, b) => {
    const bl = data.blurred[i]!;
    const sh = data.sharp[i]!;
    if (!flips?.[b]) {
      xb.set(bl, b * len);
      yb.set(sh, b * len);
      return;
    }
    for (let r = 0; r < s; r++) {
      for (let c = 0; c < s; c++) {
        for (let ch = 0; ch < 3; ch++) {
          const from = (r * s + c) * 3 + ch;
          const to = b * len + (r * s + (s - 1 - c)) * 3 + ch;
          xb[to] = bl[from]!;
          yb[to] = sh[from]!;
        }
      }
    }
  });
  return { x: tf.tensor4d(xb, [idx.length, s, s, 3]), y: tf.tensor4d(yb, [idx.length, s, s, 3]) };
}

/** Trains a deblurring network (deblur-only, or two-stream with `identity`); resolves with the trainer's result. */
export async function fitDeblur(options: FitDeblurOptions): Promise<TrainResult> {
  const { net, data, identity } = options;
  const steps = positiveInt(options.steps, 'steps');
  const batchSize = positiveInt(options.batchSize ?? 16, 'batchSize');
  const s = net.architecture.imageSize;
  if (data.size !== s) throw new Error(`fitDeblur: the pairs are ${data.size}×${data.size}, the network expects ${s}×${s}`);
  if (data.blurred.length === 0) throw new Error('fitDeblur: no training pairs');
  const weights: DeblurLossWeights = { l1: 1, identity: identity ? TWO_STREAM_WEIGHTS.identity : 0, ...options.loss };
  if ((weights.identity ?? 0) > 0 && !identity) throw new Error('fitDeblur: loss.identity > 0 needs an identity net');
  if (identity) {
    const want = identity.inputs[0]!.shape;
    if (want[1] !== s || want[2] !== s) throw new Error(`fitDeblur: the identity net takes ${want[1]}×${want[2]} images, the pairs are ${s}×${s}`);
  }
  const checkpointDir = typeof options.resume === 'string' ? dirname(options.resume) : options.checkpoint?.dir;
  if (checkpointDir !== undefined) {
    await checkRun(checkpointDir, JSON.stringify({ architecture: net.architecture, loss: weights }), options.resume !== undefined && options.resume !== false);
  }
  const optimizer = tf.train.adam(options.lr ?? 1e-3);
  const flip = options.flip ?? true;
  try {
    return await train<{ x: tf.Tensor4D; y: tf.Tensor4D }>({
      model: { deblur: net.model },
      optimizer,
      steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => {
        const idx = Array.from({ length: batchSize }, () => rng.int(data.blurred.length));
        const flips = idx.map(() => flip && rng.next() < 0.5);
        return pairBatch(data, idx, flips);
      },
      loss: ({ x, y }) => {
        const { deblurred, low } = runDeblur(net, x, true);
        const emb =
          identity && (weights.identity ?? 0) > 0
            ? { embeddingDeblurred: identityEmbedding(identity, deblurred), embeddingSharp: identityEmbedding(identity, y) }
            : {};
        const { total, terms } = deblurLoss({ deblurred, sharp: y, low, ...emb }, weights);
        return { loss: total, metrics: terms };
      },
      checkpoint: options.checkpoint,
      resume: options.resume,
      log: options.log,
      curves: options.curves,
      progress: options.progress ?? true,
      callbacks: {
        ...options.callbacks,
        onStepEnd: (record, control) => {
          if (!Number.isFinite(record.loss)) throw new Error(`fitDeblur: loss is ${record.loss} at step ${record.step}`);
          return options.callbacks?.onStepEnd?.(record, control);
        },
      },
    });
  } finally {
    disposeOptimizer(optimizer);
  }
}

/** Options of {@link fitIdentityNet}. */
export interface FitIdentityOptions {
  /** The embedding network (an arcface iresnet), trained in place. */
  net: tf.LayersModel;
  /** Sharp face crops [N, s, s, 3] in [0, 1]. */
  images: tf.Tensor4D;
  /** Identity label per image (0 … classes − 1). */
  labels: readonly number[];
  steps: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Peak SGD learning rate (default 0.1). */
  lr?: number;
  /** Margin (default ArcFace with s = 16, m = 0.3: a small number of identities). */
  margin?: MarginOptions;
  seed?: number;
  progress?: boolean;
}

/** Trains the identity stream with the ArcFace loss on sharp faces (then use it frozen); returns the trainer's result. */
export async function fitIdentityNet(options: FitIdentityOptions): Promise<TrainResult> {
  const pixels = tf.tidy(() => tf.mul(options.images, 255) as tf.Tensor4D);
  let source;
  try {
    source = tensorFaceSource(pixels, options.labels);
  } finally {
    pixels.dispose();
  }
  const { net, head, result } = await trainArcFace({
    backbone: options.net,
    data: source,
    steps: options.steps,
    batchSize: options.batchSize ?? 32,
    lr: options.lr ?? 0.1,
    margin: options.margin ?? { s: 16, m2: 0.3 },
    seed: options.seed ?? 1,
    progress: options.progress ?? false,
  });
  // The training net shares the backbone's weights; only the class centres are its own.
  head.dispose();
  void net;
  return result;
}
