/** Value checks of the annotation readers: every error names the file and 1-based line. */

/** Parses an affect value and checks it is a finite number in [−1, 1]. */
export function parseAffect(raw: string, file: string, line: number, what: string): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${file}:${line}: ${what} '${raw}' is not a number`);
  if (value < -1 || value > 1) throw new Error(`${file}:${line}: ${what} ${value} is outside [-1, 1]`);
  return value;
}
