import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { writeSyntheticSet } from '../demo/synthetic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2y-cli-'));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI in-process and returns what it printed (JSON parsed); rejects with its error line. */
async function cli(...args: string[]): Promise<unknown> {
  const backend = ['train', 'test'].includes(args[0]!) ? ['--backend', 'wasm'] : [];
  const r = await runCli(buildProgram(), [...args, ...backend]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('facelab-end2you: raw files → HDF5 → model → predictions', () => {
  it('runs generate → train → test → evaluate on synthetic clips (mp4 with soundtrack + physio CSV)', async () => {
    const clips = { seconds: 1.2, size: 16 };
    const trainList = await writeSyntheticSet(join(dir, 'raw-train'), { seeds: [1, 2], ...clips });
    const validList = await writeSyntheticSet(join(dir, 'raw-valid'), { seeds: [3], ...clips });
    const gen = (await cli('generate', '--input-list', trainList, '--out', join(dir, 'h5-train'), '--size', '16', '--json')) as { files: string[] };
    expect(gen.files.map((f) => f.split('/').pop())).toEqual(['clip1.labels.hdf5', 'clip2.labels.hdf5']);
    await cli('generate', '--input-list', validList, '--out', join(dir, 'h5-valid'), '--size', '16', '--json');
    const trained = (await cli(
      'train', '--train', join(dir, 'h5-train'), '--valid', join(dir, 'h5-valid'), '--out', join(dir, 'run'),
      '--audio-net', 'zhao19', '--visual-net', 'small', '--fusion', 'attention', '--rnn-units', '8', '--rnn-layers', '1',
      '--epochs', '2', '--seq-length', '10', '--json',
    )) as { best: { epoch: number; scores: { mean: number } }; history: unknown[] };
    expect(trained.history).toHaveLength(2);
    expect((await readdir(join(dir, 'run'))).sort()).toEqual(
      expect.arrayContaining(['best', 'best_valid_scores.json', 'checkpoints', 'config.json', 'curves.png', 'train.jsonl']),
    );
    const config = JSON.parse(await readFile(join(dir, 'run', 'config.json'), 'utf8'));
    expect(config.modalities).toEqual(['audio', 'visual', 'physio']);
    expect(config.model.audio).toEqual({ net: 'zhao19', samples: 640 });
    const tested = (await cli('test', '--model', join(dir, 'run'), '--data', join(dir, 'h5-valid'), '--out', join(dir, 'pred'), '--json')) as { mean: number; metric: string };
    expect(tested.metric).toBe('ccc');
    // The best epoch's model scores the validation files exactly as during training.
    expect(tested.mean).toBeCloseTo(trained.best.scores.mean, 5);
    const predictions = JSON.parse(await readFile(join(dir, 'pred', 'predictions.json'), 'utf8'));
    expect(predictions.labelNames).toEqual(['arousal', 'valence']);
    expect(predictions.files[0].predictions).toHaveLength(29); // 1.2 s / 40 ms − 1 closing row
    const evaluated = (await cli('evaluate', '--predictions', join(dir, 'pred', 'predictions.json'), '--data', join(dir, 'h5-valid'), '--json')) as { mean: number };
    expect(evaluated.mean).toBeCloseTo(tested.mean, 10);
  }, 180_000);

  it('has help for every command and one-line argument errors', async () => {
    const program = buildProgram();
    expect(program.commands.map((c) => c.name())).toEqual(['generate', 'train', 'test', 'evaluate']);
    expect(program.commands[1]!.helpInformation()).toMatch(/--metric <name>/);
    await expect(cli('train', '--train', dir, '--valid', dir, '--out', 'c', '--audio-net', 'emo17')).rejects.toThrow(
      /option '--audio-net <name>' argument 'emo17' is invalid\. Allowed choices are emo16, emo18, zhao19/,
    );
    await expect(cli('train', '--train', dir, '--valid', dir, '--out', 'c', '--modalities', 'audio,smell')).rejects.toThrow(
      /option '--modalities <list>' argument 'audio,smell' is invalid\. expected a comma-separated list of audio, visual, physio/,
    );
    await expect(cli('evaluate', '--predictions', join(dir, 'raw-train', 'input.csv'), '--data', join(dir, 'nowhere'))).rejects.toThrow(
      /option '--data <dir>' argument '.*nowhere' is invalid\. no such file or folder/,
    );
  });
});
