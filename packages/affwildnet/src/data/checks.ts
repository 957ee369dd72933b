/** Value checks of the annotation readers: every error names the file and 1-based line. */
import { decimalNumber } from '@facelab/runtime';

/** Parses an affect value and checks it is a finite decimal number (`0x1` is not) in [−1, 1]. */
export function parseAffect(raw: string, file: string, line: number, what: string): number {
  const value = decimalNumber(raw);
  if (!Number.isFinite(value)) throw new Error(`${file}:${line}: ${what} '${raw}' is not a number`);
  if (value < -1 || value > 1) throw new Error(`${file}:${line}: ${what} ${value} is outside [-1, 1]`);
  return value;
}
