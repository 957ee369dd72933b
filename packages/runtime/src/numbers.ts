/** Strict number parsing for the text formats (CSV, `.pts`, `pairs.txt`, command-line flags). */

/** A plain decimal literal: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of a decimal number literal (`-1`, `0.25`, `1e-3`; surrounding spaces ignored), or NaN for anything
 * else. Unlike `Number(text)`, hexadecimal, binary and octal literals (`0x10`, `0b1`, `0o7`), `Infinity`, and
 * empty or blank text are not numbers. A literal too large for a double gives ±Infinity, so callers that need
 * a finite value check `Number.isFinite` as they would after `Number`.
 */
export function decimalNumber(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}
