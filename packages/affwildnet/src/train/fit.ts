/**
 * Training AffWildNet-style models on in-memory clip sets with core-tensor's trainer (progress bar,
 * checkpoints/resume, JSONL log, curves), and batched prediction.
 */
import {
  runtimePredictor,
  tf,
  train,
  trainRunOptions,
  type RuntimePredictorOptions,
  type TrainResult,
  type TrainRunOptions,
} from '@facelab/core-tensor';
import { toTensors } from '@facelab/data';
import { checkPositiveInt } from '@facelab/runtime';
import type { ClipSet } from '../data/sets.js';
import { utteranceMeans } from '../eval/affect.js';
import { affWildLoss, omgLoss } from './losses.js';

/** Default Adam learning rate of {@link fitAffect} and of the CLI's `train` (one value for both). */
export const AFFECT_LEARNING_RATE = 1e-4;

/** Training objective of {@link fitAffect}. */
export type AffectObjective = 'affwild' | 'omg' | 'frames';

/** Options of {@link fitAffect}. */
export interface FitAffectOptions extends TrainRunOptions {
  steps: number;
  /** Clips per batch (default 4). */
  batchSize?: number;
  /** Adam learning rate (default {@link AFFECT_LEARNING_RATE} = 1e-4). */
  learningRate?: number;
  /**
   * 'affwild' (per-frame CCC, default), 'omg' (CCC of per-sequence means), or 'frames': per-frame CCC of a
   * model from {@link createFrameHead} whose output is [B·T, 2] (AffWildNet's CNN pretraining stage).
   */
  objective?: AffectObjective;
  seed?: number;
}

/** Clips `idx` of a set as a batch {x [b, T, S, S, 3], y [b, T, 2], mask [b, T]} (through @facelab/data's toTensors). */
export function clipBatch(set: ClipSet, idx: readonly number[]): { x: tf.Tensor5D; y: tf.Tensor3D; mask: tf.Tensor2D } {
  const { length: t, size: s } = set;
  const per = t * s * s * 3;
  const ones = new Float32Array(t).fill(1);
  const samples = idx.map((c) => ({
    x: set.frames.subarray(c * per, (c + 1) * per),
    y: set.labels.subarray(c * t * 2, (c + 1) * t * 2),
    mask: set.mask ? set.mask.subarray(c * t, (c + 1) * t) : ones,
  }));
  return toTensors(samples, { shapes: { x: [t, s, s, 3], y: [t, 2] } }) as { x: tf.Tensor5D; y: tf.Tensor3D; mask: tf.Tensor2D };
}

const OBJECTIVES: readonly AffectObjective[] = ['affwild', 'omg', 'frames'];

/** Throws an Error naming the first option of {@link fitAffect} with an unusable value (the trainer checks the rest). */
function checkFitOptions(options: FitAffectOptions): void {
  if (options.batchSize !== undefined) checkPositiveInt(options.batchSize, 'fitAffect: batchSize');
  const lr = options.learningRate;
  if (lr !== undefined && !(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) {
    throw new Error(`fitAffect: learningRate must be a finite number > 0, got ${String(lr)}`);
  }
  if (options.objective !== undefined && !OBJECTIVES.includes(options.objective)) {
    throw new Error(`fitAffect: objective must be one of ${OBJECTIVES.join(', ')}, got ${String(options.objective)}`);
  }
}

/**
 * Trains `model` ([B, T, S, S, 3] → [B, T, 2]) on `set` with Adam and the Aff-Wild or OMG loss. The optimizer
 * is disposed when training ends, successfully or not.
 */
export async function fitAffect(model: tf.LayersModel, set: ClipSet, options: FitAffectOptions): Promise<TrainResult> {
  checkFitOptions(options);
  const batch = Math.min(options.batchSize ?? 4, set.count);
  const objective = options.objective ?? 'affwild';
  const lossFn = objective === 'omg' ? omgLoss : affWildLoss;
  const predict = (x: tf.Tensor): tf.Tensor => {
    const y = model.apply(x, { training: true }) as tf.Tensor;
    return objective === 'frames' ? y.reshape([x.shape[0]!, x.shape[1]!, 2]) : y;
  };
  return train({
    model,
    optimizer: tf.train.adam(options.learningRate ?? AFFECT_LEARNING_RATE),
    disposeOptimizers: true,
    steps: options.steps,
    seed: options.seed ?? 1,
    batchAt: (_step, rng) => clipBatch(set, Array.from({ length: batch }, () => rng.int(set.count))),
    loss: (b) => ({ loss: lossFn(b.y, predict(b.x), b.mask) }),
    ...trainRunOptions(options, false),
  });
}

/** Options of {@link predictClips} and {@link predictUtterances}: which runtime runs the network. */
export type PredictClipsOptions = Omit<RuntimePredictorOptions, 'label'>;

/**
 * Predicts every clip of `set` in batches → per-clip [T][2] arrays (padded frames dropped), on tfjs or (runtime
 * 'onnx') the network exported to ONNX and run in onnxruntime-node.
 */
export function predictClips(model: tf.LayersModel, set: ClipSet, batchSize = 8, options: PredictClipsOptions = {}): number[][][] {
  const out: number[][][] = [];
  const predictor = runtimePredictor(model, { ...options, label: 'predictClips' });
  try {
    for (let start = 0; start < set.count; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
      const b = clipBatch(set, idx);
      const pred = tf.tidy(() => predictor.predict(b.x) as tf.Tensor3D);
      const values = pred.arraySync();
      const mask = b.mask.arraySync();
      tf.dispose([b.x, b.y, b.mask, pred]);
      values.forEach((clip, i) => out.push(clip.filter((_, t) => mask[i]![t]! > 0)));
    }
  } finally {
    predictor.dispose();
  }
  return out;
}

/**
 * Utterance-level predictions (OMG-Emotion): each clip of `set` is one utterance, and its prediction is the mean
 * of its frame predictions (padded frames excluded) → [valence, arousal] per clip.
 */
export function predictUtterances(model: tf.LayersModel, set: ClipSet, batchSize = 8, options: PredictClipsOptions = {}): [number, number][] {
  return utteranceMeans(predictClips(model, set, batchSize, options));
}

/** Per-frame predictions of a {@link createFrameHead} model ([B, T, …] → [B·T, 2]) as per-clip [T][2] arrays. */
export function predictFrames(frameModel: tf.LayersModel, set: ClipSet, batchSize = 8): number[][][] {
  const clipModel = {
    predict: (x: tf.Tensor) => tf.tidy(() => (frameModel.predict(x) as tf.Tensor).reshape([x.shape[0]!, x.shape[1]!, 2])),
  } as unknown as tf.LayersModel;
  return predictClips(clipModel, set, batchSize);
}

/** The gold frames of every clip of `set` as per-clip [T][2] arrays (padded frames dropped). */
export function clipLabels(set: ClipSet): number[][][] {
  return Array.from({ length: set.count }, (_, c) =>
    Array.from({ length: set.length }, (_, t) => [set.labels[(c * set.length + t) * 2]!, set.labels[(c * set.length + t) * 2 + 1]!]).filter(
      (_, t) => !set.mask || set.mask[c * set.length + t]! > 0,
    ),
  );
}
