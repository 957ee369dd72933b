/**
 * Checks a command line against facelab's CLI conventions (@facelab/runtime's createProgram/runProgram):
 * `--version`, `--help`, an unknown option, a missing file and a non-numeric number, run in-process.
 */
import { runProgram } from '@facelab/runtime';
import { describe, expect, it, vi } from 'vitest';

/** A commander program, as runProgram takes it. */
type Command = Parameters<typeof runProgram>[0];

/** What one run printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `program` on `args` (without `node` and the bin) in this process and captures stdout and stderr. */
export async function runCli(program: Command, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const text = (xs: unknown[]) => `${xs.map(String).join(' ')}\n`;
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true)),
    vi.spyOn(console, 'log').mockImplementation((...xs) => void (stdout += text(xs))),
    vi.spyOn(console, 'error').mockImplementation((...xs) => void (stderr += text(xs))),
    vi.spyOn(console, 'warn').mockImplementation((...xs) => void (stderr += text(xs))),
  ];
  try {
    const code = await runProgram(program, ['node', program.name(), ...args]);
    return { code, stdout, stderr };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** The argument lists {@link describeCliConventions} runs, each without `node` and the bin name. */
export interface CliConventionCases {
  /** The package version `--version` must print. */
  version: string;
  /** A command (with its subcommand name) to which `--no-such-option` is appended. */
  command: string[];
  /** Arguments naming a file that does not exist, and that file's path as it must appear in the message. */
  missingFile: { args: string[]; path: string };
  /** Arguments giving `abc` to a numeric flag, and that flag as it must appear in the message. */
  notANumber: { args: string[]; flag: string };
}

/** One error line: `<name>: <message>` and nothing else (no stack trace). */
function expectOneLine(run: CliRun, name: string): string {
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`${name}: `), run.stderr).toBe(true);
  return lines[0]!;
}

/** A suite checking a program built by `build` against the CLI conventions. */
export function describeCliConventions(build: () => Command, cases: CliConventionCases): void {
  const name = build().name();
  describe(`${name} follows the CLI conventions`, () => {
    it('--version prints the package version', async () => {
      const run = await runCli(build(), ['--version']);
      expect(run).toEqual({ code: 0, stdout: `${cases.version}\n`, stderr: '' });
    });

    it('--help prints usage and exits 0', async () => {
      const run = await runCli(build(), ['--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: ${name}`);
      expect(run.stdout).toContain('--version');
      const sub = await runCli(build(), [...cases.command, '--help']);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain(`Usage: ${name} ${cases.command.join(' ')}`);
    });

    it('an unknown option is reported as unknown (not as a missing required one), exit 2', async () => {
      const run = await runCli(build(), [...cases.command, '--no-such-option']);
      expect(run.code).toBe(2);
      expect(expectOneLine(run, name)).toContain("unknown option '--no-such-option'");
    });

    it('a missing file is one line naming it, exit 2', async () => {
      const run = await runCli(build(), cases.missingFile.args);
      expect(run.code).toBe(2);
      expect(expectOneLine(run, name)).toContain(cases.missingFile.path);
    });

    it('a non-numeric number is one line naming the flag and the value, exit 2', async () => {
      const run = await runCli(build(), cases.notANumber.args);
      expect(run.code).toBe(2);
      const line = expectOneLine(run, name);
      expect(line).toContain(cases.notANumber.flag);
      expect(line).toContain("'abc'");
    });
  });
}
