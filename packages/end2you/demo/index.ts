/**
 * end2you's part of the root `npm start`: the toolkit's workflow through the real CLI steps on generated raw
 * files — synthetic talking-face clips with a soundtrack and a physiological channel that follow arousal
 * (synthetic.ts) → `generate` → `train` (audio, visual, audio+visual+physio fused) → `test` — with a CCC table
 * per model and a figure of predicted vs true arousal on a held-out clip.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { savePlot } from '@facelab/plot';
import { buildProgram, readEnd2YouHdf5, type PredictionsFile, type Scores } from '@facelab/end2you';
import { writeSyntheticSet } from './synthetic.js';

/** The demo's configuration: the quick run of `npm start`. */
export const DEMO_CONFIG = {
  clips: { seconds: 4, size: 32 },
  seeds: { train: [1, 2, 3, 4, 5, 6], valid: [7, 8], test: [9, 10] },
  // Zhao19 (3-tap convolutions) rather than Emo16 keeps the demo inside its time budget on 2 cores.
  train: ['--audio-net', 'zhao19', '--visual-net', 'small', '--rnn-units', '32', '--rnn-layers', '1', '--seq-length', '25', '--batch-size', '4', '--lr', '3e-3'],
  epochs: 5,
  models: [
    { name: 'audio', args: ['--modalities', 'audio'] },
    { name: 'visual', args: ['--modalities', 'visual'] },
    { name: 'audio+visual+physio (concat)', args: ['--modalities', 'audio,visual,physio', '--fusion', 'concat'] },
  ],
};

/** The full-length configuration (`demo({ outDir, full: true })`): 8 epochs per model. */
export const DEMO_FULL_CONFIG: typeof DEMO_CONFIG = { ...DEMO_CONFIG, epochs: 8 };

/** Runs the CLI, returning its JSON output (printResult writes it to stdout). */
async function cli(...args: string[]): Promise<unknown> {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  try {
    await buildProgram().parseAsync(['node', 'facelab-end2you', ...args, '--json']);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(out);
}

/** Runs the demo (quick, or `full`), writing its files and figure under `outDir`. */
export async function demo({ outDir, full = false }: { outDir: string; full?: boolean }) {
  const c = full ? DEMO_FULL_CONFIG : DEMO_CONFIG;
  const backend = await initBackend();
  const t0 = performance.now();
  for (const split of ['train', 'valid', 'test'] as const) {
    const list = await writeSyntheticSet(join(outDir, 'raw', split), { seeds: c.seeds[split], ...c.clips });
    await cli('generate', '--input-list', list, '--out', join(outDir, 'hdf5', split), '--size', String(c.clips.size));
  }
  const tGenerated = performance.now();
  const rows: { item: string; value: string }[] = [];
  const traces: { name: string; x: number[]; y: number[] }[] = [];
  for (const [i, m] of c.models.entries()) {
    const run = join(outDir, `run-${i}`);
    await cli('train', '--train', join(outDir, 'hdf5', 'train'), '--valid', join(outDir, 'hdf5', 'valid'), '--out', run, ...c.train, '--epochs', String(c.epochs), ...m.args);
    const s = (await cli('test', '--model', run, '--data', join(outDir, 'hdf5', 'test'), '--out', join(run, 'test'))) as Scores;
    rows.push({ item: `CCC ${m.name}: arousal / valence (held-out clips)`, value: `${s.perLabel.arousal!.toFixed(3)} / ${s.perLabel.valence!.toFixed(3)}` });
    const pred = JSON.parse(await readFile(join(run, 'test', 'predictions.json'), 'utf8')) as PredictionsFile;
    traces.push({ name: `${m.name} predicted`, x: pred.files[0]!.predictions.map((_, t) => t * 0.04), y: pred.files[0]!.predictions.map((p) => p[0]!) });
    if (i === 0) {
      const gold = await readEnd2YouHdf5(pred.files[0]!.file);
      traces.unshift({ name: 'true arousal', x: traces[0]!.x, y: Array.from({ length: gold.labels.shape[0]! }, (_, t) => gold.labels.data[t * 2]!) });
    }
  }
  const figure = join(outDir, 'arousal-traces.png');
  await savePlot(figure, traces, { title: 'held-out clip: arousal, predicted vs true', xLabel: 'time (s)', yLabel: 'arousal' });
  const seconds = (performance.now() - t0) / 1000;
  return {
    title: 'End2You: raw mp4 + physio CSV → generate → train → test on synthetic talking faces',
    rows: [
      { item: 'backend', value: backend },
      ...rows,
      { item: 'clips train / valid / test', value: `${c.seeds.train.length} / ${c.seeds.valid.length} / ${c.seeds.test.length} × ${c.clips.seconds} s (${c.clips.seconds / 0.04 - 1} steps of 40 ms), ${c.epochs} epochs per model` },
      { item: 'time (render + generate / train + test)', value: `${((tGenerated - t0) / 1000).toFixed(0)} s / ${((performance.now() - tGenerated) / 1000).toFixed(0)} s` },
      { item: 'total', value: `${seconds.toFixed(0)} s` },
    ],
    artifacts: [figure, join(outDir, 'run-2', 'curves.png')],
  };
}
