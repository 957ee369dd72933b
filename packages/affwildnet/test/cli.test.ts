/**
 * The facelab-affwildnet command line, in-process: train → eval → predict on a tiny synthetic Aff-Wild set,
 * objective and level defaults that follow the network, eval/predict at utterance level end to end, and the
 * CLI conventions.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemIO, initBackend } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { mixSeed, readCsv } from '@facelab/runtime';
import { renderClip } from '@facelab/synth';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSequences, readUtteranceCsv, writeAffWildCsv } from '../src/data/released.js';
import { buildProgram, defaultLevel, defaultObjective } from '../src/cli/program.js';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { createOmgNet } from '../src/model/omgnet.js';
import { AFFECT_LEARNING_RATE } from '../src/train/fit.js';
import { predictUtterances } from '../src/eval/predict.js';
import { evaluateUtterances } from '../src/eval/affect.js';

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
  it('defaults: omg-* networks train on the omg objective and evaluate per utterance; one learning rate', () => {
    expect(defaultObjective('omg-1rnn')).toBe('omg');
    expect(defaultObjective('omg-3rnn')).toBe('omg');
    expect(defaultObjective('vgg16')).toBe('affwild');
    const omg = createOmgNet({ backbone: 'small', gruUnits: 2, fcUnits: 4 });
    const aff = createAffWildNet({ backbone: 'small', gruUnits: 2, fcUnits: 4 });
    expect([defaultLevel(omg), defaultLevel(aff)]).toEqual(['utterance', 'frame']);
    omg.dispose();
    aff.dispose();
    const train = buildProgram().commands.find((c) => c.name() === 'train')!;
    expect(train.options.find((o) => o.long === '--lr')!.defaultValue).toBe(AFFECT_LEARNING_RATE);
  });

  it('train, then eval and predict take the frame size from the saved model', async () => {
    const csv = join(dir, 'set', 'labels.csv');
    const train = await run('train', '--data', csv, '--out', join(dir, 'run'), '--network', 'small', '--size', '32', '--length', '4', '--steps', '2', '--batch-size', '2', '--json');
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout)).toMatchObject({ steps: 2, model: join(dir, 'run', 'model') });

    const evaluated = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const m = JSON.parse(evaluated.stdout) as { level: string } & Record<'valence' | 'arousal', Record<string, number>>;
    expect(m.level).toBe('frame');
    expect(Object.keys(m.valence)).toEqual(['cccPooled', 'cccPerClip', 'cccPerVideo', 'mse', 'pearson', 'sagr']);
    expect(m.arousal.mse).toBeGreaterThanOrEqual(0);

    const text = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4');
    expect(text.stdout).toMatch(
      /^valence: CCC -?\d\.\d{4} \(per clip -?\d\.\d{4}, per video -?\d\.\d{4}\), MSE \d\.\d{4}, Pearson -?\d\.\d{4}, SAGR \d\.\d{4}\narousal: /,
    );

    const wrongSize = await run('eval', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--size', '96');
    expect(wrongSize).toMatchObject({ code: 2, stderr: 'facelab-affwildnet: --size 96: the model takes 32×32 frames\n' });

    const out = join(dir, 'pred.csv');
    const predict = await run('predict', '--model', join(dir, 'run', 'model'), '--data', csv, '--length', '4', '--out', out);
    expect(predict).toMatchObject({ code: 0, stdout: `8 predictions written to ${out}\n` });
    expect((await readCsv(out)).header).toEqual(['path', 'valence', 'arousal']);
  });

  it('evaluates and predicts an OMG network per utterance (one utterance per frame folder)', async () => {
    const udir = join(dir, 'omg');
    const rows: string[] = [];
    const utterances = [['vidA/utterance_1', 3, 0.4, 0.6], ['vidA/utterance_2', 2, -0.3, 0.2], ['vidB/utterance_1', 4, 0.1, 0.5]] as const;
    for (const [u, n, v, a] of utterances) {
      await mkdir(join(udir, u), { recursive: true });
      for (let i = 0; i < n; i++) {
        const data = Uint8Array.from({ length: 32 * 32 * 3 }, (_, k) => (k * 7 + i * 31 + u.length * 13) % 256);
        await writeFile(join(udir, u, `${i}.png`), await encodeImage({ data, width: 32, height: 32, channels: 3 }, 'png'));
        rows.push(`${u}/${i}.png,${v},${a}`);
      }
    }
    const csv = join(udir, 'val.csv');
    await writeFile(csv, `${rows.join('\n')}\n`);
    const model = createOmgNet({ backbone: 'small', gruUnits: 4, fcUnits: 8 });
    await model.save(fileSystemIO(join(udir, 'model')));

    const seqs = await readUtteranceCsv(csv);
    expect(seqs.map((s) => s.mask)).toEqual([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]]);
    const set = await loadSequences(seqs, 32);
    const expected = predictUtterances(model, set);
    const gold = utterances.map(([, , v, a]) => [v, a]);

    const evaluated = await run('eval', '--model', join(udir, 'model'), '--data', csv, '--size', '32', '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout);
    expect(metrics.level).toBe('utterance');
    const direct = evaluateUtterances(gold.map((g) => [g]), expected.map((p) => [p]));
    expect(metrics.valence.ccc).toBeCloseTo(direct.valence.ccc, 6);
    expect(metrics.arousal.ccc).toBeCloseTo(direct.arousal.ccc, 6);

    const predicted = await run('predict', '--model', join(udir, 'model'), '--data', csv, '--size', '32', '--out', join(udir, 'pred.csv'));
    expect(predicted).toMatchObject({ code: 0, stdout: `3 utterance predictions written to ${join(udir, 'pred.csv')}\n` });
    const lines = (await readFile(join(udir, 'pred.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('utterance,valence,arousal');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['vidA/utterance_1', 'vidA/utterance_2', 'vidB/utterance_1']);
    lines.slice(1).forEach((l, i) => expect(Number(l.split(',')[1])).toBeCloseTo(expected[i]![0], 5));

    const frame = await run('eval', '--model', join(udir, 'model'), '--data', csv, '--size', '32', '--level', 'frame', '--length', '3', '--json');
    expect(frame.code, frame.stderr).toBe(0);
    const frameMetrics = JSON.parse(frame.stdout);
    expect(frameMetrics.level).toBe('frame');
    expect(Object.keys(frameMetrics.valence)).toEqual(['cccPooled', 'cccPerClip', 'cccPerVideo', 'mse', 'pearson', 'sagr']);
    model.dispose();
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
