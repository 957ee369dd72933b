/**
 * fitDeblur: trains the deblurring stream on (blurred, sharp) pairs with the reconstruction loss and, when an
 * identity net is given, the identity term through that net (the two-stream network): frozen by default, or trained
 * jointly (`jointIdentity`: the identity term then reaches its weights too, and an ArcFace term on the sharp faces
 * with their identity labels keeps its embedding from collapsing); without one it is the deblur-only ablation. fitIdentityNet: the identity stream's own training (ArcFace on sharp faces with
 * identity labels, @facelab/arcface's trainArcFace). Both run on core-tensor's trainer: checkpoints, exact resume,
 * progress bar, JSONL log and PNG curves.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ArcMarginHead, marginSoftmaxLoss, tensorFaceSource, trainArcFace, type MarginOptions } from '@facelab/arcface';
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
  /** The identity stream (frozen unless `jointIdentity`); without it the identity term is off (deblur-only). */
  identity?: tf.LayersModel;
  /** Train the identity stream jointly with the deblurring stream (arXiv v1's reading of "trained together"); default frozen. */
  jointIdentity?: JointIdentityOptions;
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

/** Options of joint identity training (see {@link FitDeblurOptions.jointIdentity}). */
export interface JointIdentityOptions {
  /** Identity label of each training pair (0 … classes − 1). */
  labels: readonly number[];
  /** Weight of the ArcFace term on the sharp faces (default 1). */
  weight?: number;
  /** Its margin (default ArcFace s = 16, m = 0.3, as {@link fitIdentityNet}). */
  margin?: MarginOptions;
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

const JOINT_MARGIN: MarginOptions = { s: 16, m2: 0.3 };

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
  const joint = options.jointIdentity;
  if (joint) {
    if (!identity) throw new Error('fitDeblur: jointIdentity needs an identity net');
    if (joint.labels.length !== data.blurred.length) throw new Error(`fitDeblur: jointIdentity has ${joint.labels.length} labels for ${data.blurred.length} pairs`);
    const bad = joint.labels.findIndex((l) => !Number.isInteger(l) || l < 0);
    if (bad >= 0) throw new Error(`fitDeblur: jointIdentity label ${bad} must be a non-negative integer, got ${joint.labels[bad]}`);
  }
  // Joint: the identity backbone with ArcFace class centres, trained with the deblurring stream.
  const head = joint ? new ArcMarginHead({ numClasses: Math.max(...joint.labels) + 1, seed: options.seed ?? 1, name: 'joint_identity_head' }) : undefined;
  const classifier =
    head && identity ? tf.model({ inputs: identity.inputs, outputs: head.apply(identity.outputs[0]!) as tf.SymbolicTensor, name: 'joint_identity' }) : undefined;
  const checkpointDir = typeof options.resume === 'string' ? dirname(options.resume) : options.checkpoint?.dir;
  if (checkpointDir !== undefined) {
    const run = { architecture: net.architecture, loss: weights, ...(joint ? { jointIdentity: { weight: joint.weight ?? 1, margin: joint.margin ?? JOINT_MARGIN } } : {}) };
    await checkRun(checkpointDir, JSON.stringify(run), options.resume !== undefined && options.resume !== false);
  }
  const optimizer = tf.train.adam(options.lr ?? 1e-3);
  const flip = options.flip ?? true;
  try {
    return await train<{ x: tf.Tensor4D; y: tf.Tensor4D; labels?: number[] }>({
      model: classifier ? { deblur: net.model, identity: classifier } : { deblur: net.model },
      optimizer,
      steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => {
        const idx = Array.from({ length: batchSize }, () => rng.int(data.blurred.length));
        const flips = idx.map(() => flip && rng.next() < 0.5);
        return { ...pairBatch(data, idx, flips), ...(joint ? { labels: idx.map((i) => joint.labels[i]!) } : {}) };
      },
      loss: ({ x, y, labels }) => {
        const { deblurred, low } = runDeblur(net, x, true);
        const emb =
          identity && (weights.identity ?? 0) > 0
            ? { embeddingDeblurred: identityEmbedding(identity, deblurred), embeddingSharp: identityEmbedding(identity, y) }
            : {};
        const { total, terms } = deblurLoss({ deblurred, sharp: y, low, ...emb }, weights);
        if (!classifier || !joint || !labels) return { loss: total, metrics: terms };
        const cos = classifier.apply(tf.mul(y, 255), { training: true }) as tf.Tensor2D;
        terms.arcface = marginSoftmaxLoss(cos, labels, joint.margin ?? JOINT_MARGIN);
        return { loss: tf.add(total, tf.mul(joint.weight ?? 1, terms.arcface)) as tf.Scalar, metrics: terms };
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
    // The class centres are training-only; the identity backbone keeps its (jointly trained) weights.
    head?.dispose();
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
