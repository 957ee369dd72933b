/**
 * The trainer's option checks at its API boundary: every count, size, step and rate option is validated before
 * anything runs, so a NaN, a string or a negative value is an error naming the option instead of a run that
 * never ends (a `steps: NaN` loop never reaches its bound) or silently misbehaves.
 */
import { checkPositiveInt } from '@facelab/runtime';
import type { TrainOptions } from './trainer.js';

function checkNonNegative(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${what} must be a finite number ≥ 0, got ${String(value)}`);
  }
}

function checkString(value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty path, got ${String(value)}`);
}

/** Throws an Error naming the first option of `o` that is set to an unusable value. */
export function checkTrainOptions<B>(o: TrainOptions<B>): void {
  const positive: [string, unknown][] = [
    ['steps', o.steps],
    ['epochs', o.epochs],
    ['stepsPerEpoch', o.stepsPerEpoch],
    ['validation.every', o.validation?.every],
    ['validation.patience', o.validation?.patience],
    ['checkpoint.every', o.checkpoint?.every],
    ['checkpoint.keep', o.checkpoint?.keep],
  ];
  for (const [name, v] of positive) if (v !== undefined) checkPositiveInt(v as number, `train: ${name}`);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) {
    throw new Error(`train: seed must be an integer, got ${String(o.seed)}`);
  }
  for (const [name, v] of [['weightDecay', o.weightDecay], ['validation.minDelta', o.validation?.minDelta]] as const) {
    if (v !== undefined) checkNonNegative(v, `train: ${name}`);
  }
  if (o.clipNorm !== undefined && !(typeof o.clipNorm === 'number' && o.clipNorm > 0 && Number.isFinite(o.clipNorm))) {
    throw new Error(`train: clipNorm must be a finite number > 0, got ${String(o.clipNorm)}`);
  }
  const mode = o.validation?.mode;
  if (mode !== undefined && mode !== 'min' && mode !== 'max') throw new Error(`train: validation.mode must be 'min' or 'max', got ${String(mode)}`);
  if (o.checkpoint !== undefined) checkString(o.checkpoint.dir, 'train: checkpoint.dir');
  if (typeof o.resume === 'string') checkString(o.resume, 'train: resume');
  else if (o.resume !== undefined && typeof o.resume !== 'boolean') throw new Error(`train: resume must be a boolean or a path, got ${String(o.resume)}`);
  for (const [name, v] of [['log', o.log], ['curves', o.curves]] as const) if (v !== undefined) checkString(v, `train: ${name}`);
}
