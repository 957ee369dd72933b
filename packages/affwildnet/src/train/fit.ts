/**
 * Training AffWildNet-style models on in-memory clip sets with core-tensor's trainer (progress bar,
 * checkpoints/resume, JSONL log, curves); batches and prediction are in eval/predict.ts.
 */
import { tf, train, trainRunOptions, type TrainResult, type TrainRunOptions } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import type { ClipSet } from '../data/sets.js';
import { clipBatch } from '../eval/predict.js';
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
