/**
 * Malformed invocations of facelab-affwildnet: every bad flag, file and manifest is one line on stderr naming
 * it, with exit code 2 for user errors (never a stack trace or an uncaught exception).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemIO, initBackend } from '@facelab/core-tensor';
import { mixSeed } from '@facelab/runtime';
import { renderClip } from '@facelab/synth';
import { describeMalformed, runCli, type CliRun, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { writeAffWildCsv } from '../src/data/released.js';
import { createAffWildNet } from '../src/model/affwildnet.js';

let dir = '';
let csv = '';
let model = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-affwild-cli-'));
  const frames = renderClip(mixSeed(3, 1), { frames: 2, size: 32 }).map((f) => ({
    image: { data: f.image, width: f.size, height: f.size, channels: 3 },
    valence: f.valence,
    arousal: f.arousal,
  }));
  csv = await writeAffWildCsv(join(dir, 'set'), [{ name: 'video_001', frames }]);
  model = join(dir, 'model');
  const net = createAffWildNet({ backbone: 'small', gruUnits: 2, fcUnits: 4 });
  await net.save(fileSystemIO(model));
  net.dispose();
  await writeFile(join(dir, 'escape.csv'), '../outside/1.jpg,0,0\n');
  await writeFile(join(dir, 'absolute.csv'), `${join(dir, 'set', 'frames', 'video_001', '00001.jpg')},0,0\n`);
  await writeFile(join(dir, 'hex.csv'), 'set/frames/video_001/00001.jpg,0x1,0\n');
  await writeFile(join(dir, 'missing-frame.csv'), 'set/frames/video_001/99999.jpg,0,0\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'cpu']);
const train = (...args: string[]) => cli('train', '--data', csv, '--out', join(dir, 'out'), '--network', 'small', '--size', '32', '--length', '2', '--steps', '1', ...args);

/** The run failed with exit `code` and one line `facelab-affwildnet: …` containing `what`. */
const fails = (code: number, what: string) => (r: unknown) => {
  const run = r as CliRun;
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^facelab-affwildnet: /);
  expect(lines[0]).toContain(what);
};

const flags: [string[], string][] = [
  [['--objective', 'foo'], "option '--objective <name>' argument 'foo' is invalid"],
  [['--network', 'vgg99'], "argument 'vgg99' is invalid"],
  [['--batch-size', '0'], "'0'"],
  [['--batch-size', '0x2'], "'0x2'"],
  [['--batch', '0'], "unknown option '--batch'"],
  [['--size', '100000'], "option '--size <px>' argument '100000' is invalid. expected at most 1024 pixels"],
  [['--size', '0'], "'0'"],
  [['--size', '1.5'], "'1.5'"],
  [['--lr', 'abc'], "option '--lr <rate>' argument 'abc' is invalid"],
  [['--lr', '-0.1'], "'-0.1'"],
  [['--lr', 'Infinity'], "'Infinity'"],
  [['--lr', '0x1'], "'0x1'"],
  [['--steps', '0'], "'0'"],
  [['--steps', '1e999'], "'1e999'"],
  [['--seed', '-1'], "'-1'"],
  [['--length', '0'], "'0'"],
  [['--fc-dropout', 'NaN'], "'NaN'"],
  [['--gru-gate-bias', 'x'], "'x'"],
  [['--backend', 'gpu'], "argument 'gpu' is invalid"],
];
const trainCases: MalformedCase[] = [
  ...flags.map(([args, what]) => ({ name: `train ${args.join(' ')}`, run: () => train(...args), ok: fails(2, what) })),
  { name: 'train --data missing', run: () => cli('train', '--data', join(dir, 'absent.csv'), '--out', join(dir, 'o')), ok: fails(2, 'absent.csv') },
  { name: 'train without --out', run: () => cli('train', '--data', csv), ok: fails(2, "required option '-o, --out <path>'") },
  { name: 'train on a CSV leaving its folder', run: () => cli('train', '--data', join(dir, 'escape.csv'), '--out', join(dir, 'o'), '--size', '32'), ok: fails(2, "escape.csv:1: frame path '../outside/1.jpg' resolves outside") },
  { name: 'train on absolute paths', run: () => cli('train', '--data', join(dir, 'absolute.csv'), '--out', join(dir, 'o'), '--size', '32'), ok: fails(2, 'is absolute') },
  { name: 'train on a hex label', run: () => cli('train', '--data', join(dir, 'hex.csv'), '--out', join(dir, 'o'), '--size', '32'), ok: fails(1, "hex.csv:1: valence '0x1' is not a number") },
  { name: 'train on a missing frame', run: () => cli('train', '--data', join(dir, 'missing-frame.csv'), '--out', join(dir, 'o'), '--size', '32', '--length', '1'), ok: fails(1, 'missing-frame.csv:1: ') },
];

const evalCases: MalformedCase[] = [
  ...['eval', 'predict'].flatMap((command) => {
    // Built when a case runs: the temporary folder does not exist while the cases are listed.
    const out = () => (command === 'predict' ? ['--out', join(dir, 'p.csv')] : []);
    const base = (...args: string[]) => cli(command, '--model', model, '--data', csv, ...out(), ...args);
    return [
      { name: `${command} --level word`, run: () => base('--level', 'word'), ok: fails(2, "argument 'word' is invalid") },
      { name: `${command} --size 100000`, run: () => base('--size', '100000'), ok: fails(2, 'expected at most 1024 pixels') },
      { name: `${command} --size of another model`, run: () => base('--size', '64'), ok: fails(2, '--size 64: the model takes 32×32 frames') },
      { name: `${command} --length 0`, run: () => base('--length', '0'), ok: fails(2, "'0'") },
      { name: `${command} --model missing`, run: () => cli(command, '--model', join(dir, 'none'), '--data', csv, ...out()), ok: fails(2, 'none') },
      { name: `${command} --model is a file`, run: () => cli(command, '--model', csv, '--data', csv, ...out()), ok: fails(2, 'not a folder') },
      { name: `${command} --model without model.json`, run: () => cli(command, '--model', dir, '--data', csv, ...out()), ok: fails(2, "cannot read model topology '") },
      { name: `${command} on a CSV leaving its folder`, run: () => cli(command, '--model', model, '--data', join(dir, 'escape.csv'), ...out()), ok: fails(2, 'resolves outside') },
      {
        name: `${command} on absolute paths with --allow-absolute-paths`,
        run: () => cli(command, '--model', model, '--data', join(dir, 'absolute.csv'), '--length', '1', '--allow-absolute-paths', ...out()),
        ok: (r: unknown) => expect((r as CliRun).code, (r as CliRun).stderr).toBe(0),
      },
    ];
  }),
];

describeMalformed('affwildnet cli train', trainCases);
describeMalformed('affwildnet cli eval and predict', evalCases);
