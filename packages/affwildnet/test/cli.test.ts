/** The CLI: objective and level defaults follow the network, and eval/predict at utterance level end to end. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileSystemIO, initBackend } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { buildProgram, defaultLevel, defaultObjective } from '../src/cli/program.js';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { createOmgNet } from '../src/model/omgnet.js';
import { loadSequences, readUtteranceCsv } from '../src/data/released.js';
import { AFFECT_LEARNING_RATE, predictUtterances } from '../src/train/fit.js';
import { evaluateUtterances } from '../src/eval/affect.js';

function run(...args: string[]) {
  const program = buildProgram().exitOverride();
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => undefined });
  return program.parseAsync(['node', 'facelab-affwildnet', ...args]);
}

beforeAll(async () => {
  await initBackend('wasm');
});
afterEach(() => vi.restoreAllMocks());

describe('facelab-affwildnet CLI', () => {
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

  it('evaluates and predicts an OMG network per utterance (one utterance per frame folder)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'affwildnet-cli-'));
    const rows: string[] = [];
    const utterances = [['vidA/utterance_1', 3, 0.4, 0.6], ['vidA/utterance_2', 2, -0.3, 0.2], ['vidB/utterance_1', 4, 0.1, 0.5]] as const;
    for (const [u, n, v, a] of utterances) {
      await mkdir(join(dir, u), { recursive: true });
      for (let i = 0; i < n; i++) {
        const data = Uint8Array.from({ length: 32 * 32 * 3 }, (_, k) => (k * 7 + i * 31 + u.length * 13) % 256);
        await writeFile(join(dir, u, `${i}.png`), await encodeImage({ data, width: 32, height: 32, channels: 3 }, 'png'));
        rows.push(`${u}/${i}.png,${v},${a}`);
      }
    }
    const csv = join(dir, 'val.csv');
    await writeFile(csv, `${rows.join('\n')}\n`);
    const model = createOmgNet({ backbone: 'small', gruUnits: 4, fcUnits: 8 });
    await model.save(fileSystemIO(join(dir, 'model')));

    const seqs = await readUtteranceCsv(csv);
    expect(seqs.map((s) => s.mask)).toEqual([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]]);
    const set = await loadSequences(seqs, 32);
    const expected = predictUtterances(model, set);
    const gold = utterances.map(([, , v, a]) => [v, a]);

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await run('eval', '--backend', 'wasm', '--model', join(dir, 'model'), '--data', csv, '--size', '32');
    const metrics = JSON.parse(String(log.mock.calls[0]![0]));
    expect(metrics.level).toBe('utterance');
    const direct = evaluateUtterances(gold.map((g) => [g]), expected.map((p) => [p]));
    expect(metrics.valence.ccc).toBeCloseTo(direct.valence.ccc, 6);
    expect(metrics.arousal.ccc).toBeCloseTo(direct.arousal.ccc, 6);

    await run('predict', '--backend', 'wasm', '--model', join(dir, 'model'), '--data', csv, '--size', '32', '--out', join(dir, 'pred.csv'));
    const lines = (await readFile(join(dir, 'pred.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('utterance,valence,arousal');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['vidA/utterance_1', 'vidA/utterance_2', 'vidB/utterance_1']);
    lines.slice(1).forEach((l, i) => expect(Number(l.split(',')[1])).toBeCloseTo(expected[i]![0], 5));

    await run('eval', '--backend', 'wasm', '--model', join(dir, 'model'), '--data', csv, '--size', '32', '--level', 'frame', '--length', '3');
    const frame = JSON.parse(String(log.mock.calls[2]![0]));
    expect(frame.level).toBe('frame');
    expect(Object.keys(frame.valence)).toEqual(['cccPooled', 'cccPerClip', 'cccPerVideo', 'mse', 'pearson', 'sagr']);
    model.dispose();
  });
});

