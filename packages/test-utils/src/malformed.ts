/**
 * The malformed-input corpus's table-driven test: each case is one bad input or invocation and what it must
 * give — a named one-line error, or a correct result — within a time limit and without leaking tensors.
 * Every case's test title starts with {@link MALFORMED_PREFIX}, so the root summary can count the corpus.
 */
import { describe, expect, it } from 'vitest';

/** The prefix of every corpus test's title (`malformed: <area> › <case>`). */
export const MALFORMED_PREFIX = 'malformed: ';

/** One bad input or invocation and the outcome it must have. */
export interface MalformedCase {
  /** What is wrong with the input, e.g. `'PNG truncated after IHDR'`. */
  name: string;
  /** Makes the call under test (builds its input first, inside this function, so leaks during setup count). */
  run: () => unknown;
  /**
   * The call must fail with an Error whose one-line message contains this string (or matches this pattern):
   * the file, row, argument or option it names.
   */
  error?: string | RegExp;
  /** The call must succeed, and this checks the result (for inputs that are odd but valid). */
  ok?: (result: unknown) => void | Promise<void>;
  /** The format cannot detect this corruption (no checksum): the call must not throw or hang; why, in words. */
  inherent?: string;
}

/** Options of {@link describeMalformed}. */
export interface MalformedOptions {
  /** Live tensor count (`() => tf.memory().numTensors`); when given, every case must leave it unchanged. */
  numTensors?: () => number;
  /** A case that has not settled after this many milliseconds is a hang (default 20 000). */
  timeoutMs?: number;
}

async function settle(run: () => unknown, timeoutMs: number): Promise<{ value?: unknown; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no result after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { value: await Promise.race([Promise.resolve().then(run), hang]) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('hang: ')) throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One test per case, titled `malformed: <area> › <name>`: the call settles within the time limit, its outcome
 * is the expected one (an `Error` with a one-line message naming the problem, or a checked result), and the
 * live tensor count is the same before and after, error paths included.
 */
export function describeMalformed(area: string, cases: readonly MalformedCase[], options: MalformedOptions = {}): void {
  const { numTensors, timeoutMs = 20_000 } = options;
  describe(`${MALFORMED_PREFIX}${area}`, () => {
    for (const c of cases) {
      const expectations = [c.error, c.ok, c.inherent].filter((x) => x !== undefined).length;
      it(`${MALFORMED_PREFIX}${area} › ${c.name}`, async () => {
        expect(expectations, `case '${c.name}' must set exactly one of error, ok, inherent`).toBe(1);
        const before = numTensors?.();
        const outcome = await settle(c.run, timeoutMs);
        if (c.error !== undefined) {
          expect(outcome.error, `expected an error, got ${String(outcome.value)}`).toBeInstanceOf(Error);
          const message = (outcome.error as Error).message;
          expect(message.includes('\n'), `error message is not one line: ${message}`).toBe(false);
          if (typeof c.error === 'string') expect(message).toContain(c.error);
          else expect(message).toMatch(c.error);
        } else if (c.ok !== undefined) {
          if (outcome.error !== undefined) throw outcome.error;
          await c.ok(outcome.value);
        } else if (outcome.error !== undefined) {
          throw outcome.error;
        }
        if (numTensors) expect(numTensors(), 'tensors leaked').toBe(before);
      }, timeoutMs + 10_000);
    }
  });
}
