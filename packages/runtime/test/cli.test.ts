import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { describe, expect, it } from 'vitest';
import {
  UsageError,
  batchSizeOption,
  createProgram,
  jsonOption,
  outOption,
  parsePath,
  printResult,
  stepsOption,
} from '../src/index.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'runtime-cli-'));

/** A two-command program in the shape every facelab CLI has. */
function program() {
  const p = createProgram({ name: 'facelab-demo', description: 'demo', moduleUrl: import.meta.url });
  p.command('sum')
    .description('sum the numbers of a file')
    .requiredOption('--data <file>', 'input', parsePath('file'))
    .addOption(stepsOption(3))
    .addOption(batchSizeOption(2))
    .addOption(outOption('output folder', 'run'))
    .addOption(jsonOption())
    .action((o, cmd) => {
      const total = readFileSync(o.data, 'utf8').split(',').map(Number).reduce((a, b) => a + b, 0);
      printResult(cmd, { total, steps: o.steps, batchSize: o.batchSize, out: o.out }, (r) => `total ${r.total}`);
    });
  p.command('fail')
    .option('--usage', 'fail as a usage error')
    .action((o) => {
      if (o.usage) throw new UsageError('give exactly one of --a and --b');
      throw new Error('the solver diverged');
    });
  return p;
}

const data = join(dir, 'numbers.txt');
writeFileSync(data, '1,2,3.5');

describeCliConventions(program, {
  version,
  command: ['sum'],
  missingFile: { args: ['sum', '--data', join(dir, 'nope.txt')], path: join(dir, 'nope.txt') },
  notANumber: { args: ['sum', '--data', data, '--steps', 'abc'], flag: '--steps' },
});

describe('runProgram', () => {
  it('runs a command; --json prints the result as JSON; the shared flags parse numbers', async () => {
    expect(await runCli(program(), ['sum', '--data', data])).toEqual({ code: 0, stdout: 'total 6.5\n', stderr: '' });
    const run = await runCli(program(), ['sum', '--data', data, '--json', '--steps', '7', '--batch-size', '4', '-o', 'x']);
    expect(JSON.parse(run.stdout)).toEqual({ total: 6.5, steps: 7, batchSize: 4, out: 'x' });
  });

  it('a missing required option is reported as missing, exit 2', async () => {
    const run = await runCli(program(), ['sum']);
    expect(run).toMatchObject({ code: 2, stderr: "facelab-demo: required option '--data <file>' not specified\n" });
  });

  it('a suggestion for a mistyped option stays on the one line', async () => {
    const run = await runCli(program(), ['sum', '--dat', data]);
    expect(run).toMatchObject({ code: 2, stderr: "facelab-demo: unknown option '--dat' (Did you mean --data?)\n" });
  });

  it('UsageError exits 2, other errors exit 1, both as one line; --verbose adds the stack', async () => {
    expect(await runCli(program(), ['fail', '--usage'])).toEqual({ code: 2, stdout: '', stderr: 'facelab-demo: give exactly one of --a and --b\n' });
    expect(await runCli(program(), ['fail'])).toEqual({ code: 1, stdout: '', stderr: 'facelab-demo: the solver diverged\n' });
    const verbose = await runCli(program(), ['fail', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n')[1]).toBe('Error: the solver diverged');
    expect(verbose.stderr).toMatch(/\n\s+at .*cli\.test\.ts/);
  });

  it('a file-system error from the action (ENOENT) is a usage error', async () => {
    const p = createProgram({ name: 'facelab-demo', description: 'demo', moduleUrl: import.meta.url });
    p.command('read').action(() => void readFileSync(join(dir, 'absent.csv')));
    const run = await runCli(p, ['read']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`facelab-demo: ENOENT: no such file or directory, open '${join(dir, 'absent.csv')}'\n`);
  });

  it('a bad value for a numeric option names the option and the value', async () => {
    const run = await runCli(program(), ['sum', '--data', data, '--batch-size', '0']);
    expect(run).toMatchObject({ code: 2, stderr: "facelab-demo: option '--batch-size <n>' argument '0' is invalid. expected an integer ≥ 1\n" });
  });
});
