/**
 * Learning-rate schedules as plain functions of the 0-based step about to run, so a resumed run computes the
 * same rate from the step alone (no scheduler state to checkpoint).
 */
import { checkPositiveInt } from '@facelab/runtime';

/** A learning rate as a function of the 0-based step index. */
export type LrSchedule = (step: number) => number;

function positive(name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`);
  }
}

/** Linear warm-up from 0 to `lr` over `warmupSteps` steps (step/warmup · lr), then `after(step)`. */
function withWarmup(lr: number, warmupSteps: number, after: LrSchedule): LrSchedule {
  positive('warmupSteps', warmupSteps, true);
  return (step) => (step < warmupSteps ? (lr * step) / warmupSteps : after(step));
}

/** The same rate at every step. */
export function constantLr(lr: number): LrSchedule {
  positive('constantLr: lr', lr, true);
  return () => lr;
}

/** Step decay: lr · gamma^⌊step / every⌋ (multiply by gamma every `every` steps). */
export function stepLr(opts: { lr: number; gamma: number; every: number }): LrSchedule {
  positive('stepLr: lr', opts.lr, true);
  positive('stepLr: gamma', opts.gamma);
  checkPositiveInt(opts.every, 'stepLr: every');
  return (step) => opts.lr * opts.gamma ** Math.floor(step / opts.every);
}

/**
 * Cosine annealing from `lr` to `floor` over `totalSteps` (after an optional linear warm-up):
 * floor + (lr − floor)(1 + cos(π t / T)) / 2 with t = step − warmup, T = totalSteps − warmup; `floor` after T.
 */
export function cosineLr(opts: { lr: number; totalSteps: number; floor?: number; warmupSteps?: number }): LrSchedule {
  const floor = opts.floor ?? 0;
  const warmup = opts.warmupSteps ?? 0;
  positive('cosineLr: lr', opts.lr, true);
  positive('cosineLr: floor', floor, true);
  if (!(opts.totalSteps > warmup)) throw new Error(`cosineLr: totalSteps (${opts.totalSteps}) must exceed warmupSteps (${warmup})`);
  const span = opts.totalSteps - warmup;
  return withWarmup(opts.lr, warmup, (step) => {
    const t = Math.min(step - warmup, span);
    return floor + ((opts.lr - floor) * (1 + Math.cos((Math.PI * t) / span))) / 2;
  });
}

/**
 * Polynomial decay with linear warm-up, the insightface ArcFace recipe (PolyScheduler, power 2):
 * lr · step / warmup during warm-up, then end + (lr − end)(1 − (step − warmup)/(totalSteps − warmup))^power,
 * and `end` after totalSteps.
 */
export function polynomialLr(opts: {
  lr: number;
  totalSteps: number;
  warmupSteps?: number;
  power?: number;
  end?: number;
}): LrSchedule {
  const warmup = opts.warmupSteps ?? 0;
  const power = opts.power ?? 2;
  const end = opts.end ?? 0;
  positive('polynomialLr: lr', opts.lr, true);
  positive('polynomialLr: power', power);
  positive('polynomialLr: end', end, true);
  if (!(opts.totalSteps > warmup)) throw new Error(`polynomialLr: totalSteps (${opts.totalSteps}) must exceed warmupSteps (${warmup})`);
  const span = opts.totalSteps - warmup;
  return withWarmup(opts.lr, warmup, (step) => {
    const frac = Math.min((step - warmup) / span, 1);
    return end + (opts.lr - end) * (1 - frac) ** power;
  });
}
