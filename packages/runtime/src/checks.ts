/** Argument checks shared by every package: each error names the argument and the bad value. */

/** Returns `value` if it is a positive integer; otherwise throws `<what> must be a positive integer, got <value>`. */
export function checkPositiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}
