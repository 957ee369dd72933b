/** The run options that every paper's `fit<Paper>` hands straight to the trainer. */
import type { TrainOptions } from './trainer.js';

/** Checkpoints, resume, JSONL log, curves PNG, progress and callbacks of a training run, as {@link TrainOptions} has them. */
export type TrainRunOptions = Pick<TrainOptions<unknown>, 'checkpoint' | 'resume' | 'log' | 'curves' | 'progress' | 'callbacks'>;

/** Only the {@link TrainRunOptions} of `options` (a fit's whole options object), with `progress` defaulting to `progress`. */
export function trainRunOptions(options: TrainRunOptions, progress: boolean): TrainRunOptions {
  const { checkpoint, resume, log, curves, callbacks } = options;
  return { checkpoint, resume, log, curves, progress: options.progress ?? progress, callbacks };
}
