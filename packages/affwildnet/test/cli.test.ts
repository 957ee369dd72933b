/** The facelab-affwildnet command line, in-process: train → eval → predict on a tiny synthetic Aff-Wild set, and the CLI conventions. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { mixSeed, readCsv } from '@facelab/runtime';
import { renderClip } from '@facelab/synth';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAffWildCsv } from '../src/data/released.js';
import { buildProgram } from '../src/cli/program.js';

let dir = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'affwildnet-cli-'));
  const videos = [0, 1].map((v) => ({
    name: `video_00${v + 1}`,
    frames: renderClip(mixSeed(5, v), { frames: 4, size: 32 }).map((f) => ({
      image: { data: f.image, width: f.size, height: f.size, channels: 3 },
      valence: f.valence,
      arousal: f.arousal,
    })),
  }));
  await writeAffWildCsv(join(dir, 'set'), videos);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'cpu']);

describe('facelab-affwildnet', () => {
  it('train, then eval and predict take the frame size from the saved model', async () => {
    const csv = join(dir, 'set', 'labels.csv');
    const train = await run('train', '--data', csv, '--out', join(dir, 'run'), '--network', 'small', '--size', '32', '--length', '4', '--steps', '2', '--batch-size', '2', '--json');
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout)).toMatchObject({ steps: 2, model: join(dir, 'run', 'model') });

    const evaluated = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const m = JSON.parse(evaluated.stdout) as Record<'valence' | 'arousal', Record<string, number>>;
    expect(Object.keys(m.valence).sort()).toEqual(['cccPerVideo', 'cccPooled', 'mse', 'pearson', 'sagr']);
    expect(m.arousal.mse).toBeGreaterThanOrEqual(0);

    const text = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4');
    expect(text.stdout).toMatch(/^valence: CCC -?\d\.\d{4} \(per sequence -?\d\.\d{4}\), MSE \d\.\d{4}, Pearson -?\d\.\d{4}, SAGR \d\.\d{4}\narousal: /);

    const wrongSize = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--size', '96');
    expect(wrongSize).toMatchObject({ code: 2, stderr: 'facelab-affwildnet: --size 96: the model takes 32×32 frames\n' });

    const out = join(dir, 'pred.csv');
    const predict = await run('predict', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--out', out);
    expect(predict).toMatchObject({ code: 0, stdout: `8 predictions written to ${out}\n` });
    expect((await readCsv(out)).header).toEqual(['path', 'valence', 'arousal']);
  });

  it('a CSV that cannot be read is one line naming it, exit 2', async () => {
    const run2 = await run('eval', '--model', dir, '--data', dir);
    expect(run2.code, run2.stderr).toBe(2);
    expect(run2.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run2.stderr).toContain(dir);
  });
});

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['train', '--data', '/nonexistent/labels.csv', '--out', '/tmp/x'], path: '/nonexistent/labels.csv' },
  notANumber: { args: ['train', '--data', '/', '--out', '/tmp/x', '--steps', 'abc'], flag: '--steps' },
});
