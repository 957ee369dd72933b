/**
 * DenseReg's training recipe as library API: the quantized-regression loss (or the direct ablation) on
 * samples with dense U-V ground truth, Adam, random batches, with core-tensor's trainer (checkpoints and
 * bit-for-bit resume, progress, JSONL log, curves). The paper fine-tunes an ImageNet DeepLab with SGD; see
 * the README's departures.
 */
import { tf, train, trainRunOptions, type TrainResult, type TrainRunOptions } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import { denseRegLoss } from '../loss/densereg-loss.js';
import type { DenseRegHead } from '../model/densereg-net.js';
import { checkSample, sampleBatch, type DenseRegSample } from '../data/sample.js';

/** Options of {@link fitDenseReg}. */
export interface FitDenseRegOptions extends TrainRunOptions {
  /** The network from createDenseRegNet (trained in place). */
  model: tf.LayersModel;
  /** Training samples with U and V, all of one size. */
  samples: readonly DenseRegSample[];
  /** 'quantized' (default) or 'direct', as the network was built. */
  head?: DenseRegHead;
  /** Bins K (default 10). */
  bins?: number;
  /** Regression weight λ (default 1). */
  lambda?: number;
  /** Steps to run in total (counting steps before a resume). */
  steps: number;
  /** Samples per batch (default 4). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Seed of the batch order (default 1). */
  seed?: number;
}

/** Trains `model` on `samples` (the optimizer is disposed at the end); resolves with the trainer's result (loss, classification and regression per step). */
export async function fitDenseReg(options: FitDenseRegOptions): Promise<TrainResult> {
  const { model, samples } = options;
  checkPositiveInt(options.steps, 'fitDenseReg: steps');
  if (samples.length === 0) throw new Error('fitDenseReg: no training samples');
  const { width, height } = samples[0]!;
  for (const s of samples) {
    checkSample(s);
    if (!s.u || !s.v) throw new Error(`fitDenseReg: sample '${s.name ?? '?'}' has no U-V ground truth`);
    if (s.width !== width || s.height !== height)
      throw new Error(
        `fitDenseReg: sample '${s.name ?? '?'}' is ${s.width}×${s.height}, the first is ${width}×${height} (train on one size)`
      );
  }
  const batchSize = Math.min(options.batchSize ?? 4, samples.length);
  checkPositiveInt(batchSize, 'fitDenseReg: batchSize');
  const lossOptions = { head: options.head, bins: options.bins, lambda: options.lambda };
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  try {
    return await train({
      model,
      optimizer,
      steps: options.steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => sampleBatch(Array.from({ length: batchSize }, () => samples[rng.int(samples.length)]!)),
      loss: (b) => {
        const out = denseRegLoss(model.apply(b.x, { training: true }) as tf.Tensor, { u: b.u!, v: b.v! }, lossOptions);
        return { loss: out.loss, metrics: { classification: out.classification, regression: out.regression } };
      },
      ...trainRunOptions(options, false),
    });
  } finally {
    optimizer.dispose(); // its state lives on in the checkpoints
  }
}
