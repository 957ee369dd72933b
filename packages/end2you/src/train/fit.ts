/**
 * fitEnd2You: End2You's training recipe (upstream `training/trainer.py`) on core-tensor's trainer — Adam,
 * shuffled windows of `seqLength` steps in padded batches, the masked loss, one validation per epoch on the
 * validation records, the best epoch kept in the metric's direction (lower MSE, higher CCC/UAR) as `best/`
 * with `best_valid_scores.json`, and checkpoints every epoch that resume bit-for-bit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemIO, tf, train } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import type { Modality } from '../model/end2you.js';
import type { End2YouRecord } from '../data/hdf5.js';
import { sequenceLoss, type LossName } from '../loss/masked.js';
import { predictRecords, scoreRecords } from '../eval/predict.js';
import { METRIC_DIRECTION, type MetricName, type Scores } from '../eval/scores.js';
import { BestCheckpoint, type BestScore } from './best.js';
import { batchWindows, makeBatch, windowsOf, type SequenceBatch } from './batches.js';

/** Options of {@link fitEnd2You}. */
export interface FitEnd2YouOptions {
  model: tf.LayersModel;
  modalities: readonly Modality[];
  train: End2YouRecord[];
  valid: End2YouRecord[];
  loss: LossName;
  metric: MetricName;
  /** CCC loss only: upstream's mixed biased/unbiased moments. */
  upstreamCompat?: boolean;
  epochs: number;
  /** Windows per batch (default 2). */
  batchSize?: number;
  /** Steps per window (default: whole files). */
  seqLength?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Checkpoints, `best/`, `best_valid_scores.json`, `train.jsonl`, `curves.png`. */
  outDir: string;
  /** Continue from the newest checkpoint in `outDir`. */
  resume?: boolean;
  seed?: number;
  progress?: boolean;
  /** Called after each epoch's validation. */
  onEpoch?: (info: { epoch: number; scores: Scores; best: boolean }) => void;
  /** Validation scores instead of the model's (tests script a sequence of epochs with it). */
  validate?: (epoch: number) => Scores;
}

/** What {@link fitEnd2You} returns. */
export interface FitEnd2YouResult {
  best: BestScore | undefined;
  history: { epoch: number; scores: Scores }[];
}

/** The directory of the best model under `outDir`. */
export const BEST_MODEL_DIR = 'best';

async function readBest(path: string, metric: MetricName): Promise<BestScore | undefined> {
  try {
    const j = JSON.parse(await readFile(path, 'utf8')) as {
      epoch: number;
      perLabel: Record<string, number>;
    } & Record<string, number>;
    return {
      epoch: j.epoch,
      scores: { metric, perLabel: j.perLabel, mean: j[metric]! },
    };
  } catch {
    return undefined;
  }
}

/** Trains `model` (see the module comment). */
export async function fitEnd2You(o: FitEnd2YouOptions): Promise<FitEnd2YouResult> {
  checkPositiveInt(o.epochs, 'fitEnd2You: epochs');
  const batchSize = o.batchSize ?? 2;
  const windows = windowsOf(o.train, o.seqLength);
  const stepsPerEpoch = Math.ceil(windows.length / batchSize);
  const bestPath = join(o.outDir, 'best_valid_scores.json');
  const best = new BestCheckpoint(o.metric, o.resume ? await readBest(bestPath, o.metric) : undefined);
  const history: FitEnd2YouResult['history'] = [];
  let last: { epoch: number; scores: Scores } | undefined;
  const input = (b: SequenceBatch) => (b.inputs.length === 1 ? b.inputs[0]! : b.inputs);
  const optimizer = tf.train.adam(o.learningRate ?? 1e-3);
  try {
    await train<SequenceBatch>({
      model: o.model,
      optimizer,
      data: (_epoch, rng) =>
        (function* () {
          for (const ws of batchWindows(windows, batchSize, rng)) yield makeBatch(o.train, ws, o.modalities);
        })(),
      epochs: o.epochs,
      stepsPerEpoch,
      seed: o.seed,
      loss: (b) => ({
        loss: sequenceLoss(o.loss, b.labels, o.model.apply(input(b), { training: true }) as tf.Tensor, b.mask, {
          upstreamCompat: o.upstreamCompat,
        }),
      }),
      validation: {
        every: stepsPerEpoch,
        monitor: o.metric,
        mode: METRIC_DIRECTION[o.metric],
        run: ({ step }) => {
          const epoch = step / stepsPerEpoch;
          const scores = o.validate
            ? o.validate(epoch)
            : scoreRecords(
                predictRecords(o.model, o.valid, o.modalities, {
                  seqLength: o.seqLength,
                }),
                o.valid,
                o.metric,
              );
          last = { epoch, scores };
          return { [o.metric]: scores.mean };
        },
      },
      callbacks: {
        onValidation: async () => {
          const { epoch, scores } = last!;
          const isBest = best.offer(epoch, scores);
          if (isBest) {
            await o.model.save(fileSystemIO(join(o.outDir, BEST_MODEL_DIR)));
            await best.write(bestPath);
          }
          history.push({ epoch, scores });
          o.onEpoch?.({ epoch, scores, best: isBest });
        },
      },
      checkpoint: {
        dir: join(o.outDir, 'checkpoints'),
        every: stepsPerEpoch,
        keep: 2,
      },
      resume: o.resume,
      log: join(o.outDir, 'train.jsonl'),
      curves: join(o.outDir, 'curves.png'),
      progress: o.progress ?? false,
    });
  } finally {
    optimizer.dispose();
  }
  return { best: best.best, history };
}
