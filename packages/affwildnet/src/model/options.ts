/** Argument checks shared by the model builders; every error names the builder and the option. */
import { checkPositiveInt } from '@facelab/runtime';

/** Checks a dropout rate in [0, 1). */
export function checkRate(value: number, what: string): number {
  if (!(value >= 0 && value < 1)) throw new Error(`${what} must be in [0, 1), got ${value}`);
  return value;
}

/** Checks the clip length: a positive integer, or null for clips of any length. */
export function checkFrames(value: number | null, what: string): number | null {
  return value === null ? null : checkPositiveInt(value, what);
}
