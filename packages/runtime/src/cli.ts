/**
 * The conventions every facelab command line shares (see the README's "Command lines" section): `--version`,
 * `--verbose`, `--json` on commands that print results, the same flag names for the same things, user errors
 * as one line `<program>: <message>` with exit code 2, failures with exit code 1, and unknown options reported
 * as unknown even when a required option is missing too.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { decimalNumber } from './numbers.js';
import { PathOutsideRootError } from './paths.js';

// The CLIs build on this one copy of commander (its classes from another copy would not mix with these).
export { Command, Option, InvalidArgumentError };

/** An error in what the user asked for (an argument, a flag combination): exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code of a user error: a bad argument, an unknown option, a missing or unreadable file. */
export const EXIT_USAGE = 2;
/** Exit code of any other failure. */
export const EXIT_FAILURE = 1;

/** Codes of file-system errors caused by the paths the user gave. */
const PATH_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EEXIST']);

/** What {@link createProgram} needs to know about a command line. */
export interface ProgramOptions {
  /** The bin's name, e.g. `facelab-rpca`; it prefixes every error line. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** `import.meta.url` of a module of the package: `--version` prints the version of the package.json above it. */
  moduleUrl: string;
}

/** The version field of the nearest package.json above `moduleUrl` (works from src/ and from dist/). */
export function packageVersion(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}

/** Commander's `error: …` text (possibly with a `(Did you mean …?)` line) as one line after the program name. */
function errorLine(name: string, text: string): string {
  return `${name}: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`;
}

/**
 * A commander program with facelab's conventions: `--version` (from package.json), `--verbose` (stack traces
 * on errors), one-line usage errors. Add commands to it, then run it with {@link runProgram}.
 */
export function createProgram(options: ProgramOptions): Command {
  return new Command(options.name)
    .description(options.description)
    .version(packageVersion(options.moduleUrl), '--version', 'print the version and exit')
    .option('--verbose', 'print stack traces with errors')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(errorLine(options.name, text)) });
}

/** Every command of the tree under `program`, the program first. */
function commandsOf(program: Command): Command[] {
  return [program, ...program.commands.flatMap(commandsOf)];
}

/**
 * Commander checks required options before unknown ones, so `--dat x` would be reported as "required option
 * '--data' not specified". This moves each required option's check into a preAction hook, which commander runs
 * after its unknown-option check.
 */
function checkRequiredAfterUnknown(program: Command): void {
  for (const cmd of commandsOf(program)) {
    const required = cmd.options.filter((o) => o.mandatory);
    if (required.length === 0) continue;
    for (const o of required) o.mandatory = false;
    cmd.hook('preAction', (_, action) => {
      for (const o of required) {
        if (action.getOptionValue(o.attributeName()) === undefined) {
          action.error(`required option '${o.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue', exitCode: EXIT_USAGE });
        }
      }
    });
  }
}

/** A UsageError, a manifest path outside its root, or a file-system error on a path, itself or as the `cause` of a wrapping error. */
function isUsageError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof UsageError || e instanceof PathOutsideRootError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PATH_ERRORS.has(code)) return true;
  }
  return false;
}

/**
 * Runs a program built with {@link createProgram} on `argv` (default `process.argv`) and resolves to its exit
 * code, never throwing: 0 on success and for `--help`/`--version`, {@link EXIT_USAGE} for user errors (commander's
 * usage errors, {@link UsageError}, missing or unreadable files), {@link EXIT_FAILURE} for anything else. Errors are
 * printed as one line on stderr; `--verbose` adds the stack trace. A bin is `process.exitCode = await runProgram(p)`.
 */
export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<number> {
  checkRequiredAfterUnknown(program);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE; // commander printed it
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(errorLine(program.name(), message));
    if (argv.includes('--verbose') && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return isUsageError(err) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/** Parses a decimal integer ≥ `min` (default 0) for a commander option (`0x10` is not one); anything else is a usage error naming the value. */
export function parseInteger(min = 0): (value: string) => number {
  return (value) => {
    const n = decimalNumber(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

/** Parses a finite decimal number ≥ `min` (default: any) for a commander option (`0x10`, `Infinity` are not). */
export function parseNumber(min = -Infinity): (value: string) => number {
  return (value) => {
    const n = decimalNumber(value);
    if (!Number.isFinite(n) || n < min) {
      throw new InvalidArgumentError(min === -Infinity ? 'expected a number' : `expected a number ≥ ${min}`);
    }
    return n;
  };
}

/** Parses a comma-separated list of integers ≥ `min` (default 0), e.g. `1,2,1,1`. */
export function parseIntegerList(min = 0): (value: string) => number[] {
  const one = parseInteger(min);
  return (value) => value.split(',').map((x) => one(x.trim()));
}

/** Checks that a path exists (a file, or a folder when `kind` is 'directory') and returns it. */
export function parsePath(kind: 'file' | 'directory' | 'any' = 'any'): (value: string) => string {
  return (value) => {
    let stats;
    try {
      stats = statSync(value);
    } catch {
      throw new InvalidArgumentError('no such file or folder');
    }
    if (kind === 'file' && !stats.isFile()) throw new InvalidArgumentError('not a file');
    if (kind === 'directory' && !stats.isDirectory()) throw new InvalidArgumentError('not a folder');
    return value;
  };
}

/** `--steps <n>`: optimisation steps. */
export function stepsOption(defaultValue: number, description = 'training steps'): Option {
  return new Option('--steps <n>', description).argParser(parseInteger(1)).default(defaultValue);
}

/** `--batch-size <n>`: examples per step. */
export function batchSizeOption(defaultValue: number, description = 'examples per step'): Option {
  return new Option('--batch-size <n>', description).argParser(parseInteger(1)).default(defaultValue);
}

/** `--seed <n>`: the seed of everything random in the command. */
export function seedOption(defaultValue: number, description = 'seed'): Option {
  return new Option('--seed <n>', description).argParser(parseInteger(0)).default(defaultValue);
}

/** `-o, --out <path>`: where results go; required unless a default is given. */
export function outOption(description: string, defaultValue?: string): Option {
  const o = new Option('-o, --out <path>', description);
  return defaultValue === undefined ? o.makeOptionMandatory() : o.default(defaultValue);
}

/** `--backend <name>`: the tfjs backend, one of `names` (default: the best that loads, or FACELAB_BACKEND). */
export function backendOption(names: readonly string[]): Option {
  return new Option('--backend <name>', 'tfjs backend (default: the best that loads, or FACELAB_BACKEND)').choices(names);
}

/** `--json`: print the result as JSON on stdout instead of text. */
export function jsonOption(): Option {
  return new Option('--json', 'print the result as JSON');
}

/**
 * Prints a command's result on stdout: `JSON.stringify(result)` when the command was given `--json`, else
 * `text(result)`. Progress and the backend line go to stderr, so `--json` output can be piped.
 */
export function printResult<T>(command: Command, result: T, text: (result: T) => string): void {
  process.stdout.write(command.opts().json ? `${JSON.stringify(result, null, 2)}\n` : `${text(result)}\n`);
}
