#!/usr/bin/env node
/**
 * facelab-affwildnet: train, evaluate and predict with AffWildNet / OMG networks on released-format CSVs
 * (`path,valence,arousal`), with progress bars, checkpoints and resume through core-tensor's trainer.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { writeCsv } from '@facelab/runtime';
import { createAffWildNet } from './model/affwildnet.js';
import { createOmgNet } from './model/omgnet.js';
import { loadSequences, readAffWildCsv } from './data/released.js';
import { clipLabels, fitAffect, predictClips } from './train/fit.js';
import { evaluateAffect } from './eval/affect.js';

const NETWORKS = ['vgg16', 'resnet50', 'omg-1rnn', 'omg-3rnn', 'small'] as const;
type Network = (typeof NETWORKS)[number];

function build(network: Network, size: number): tf.LayersModel {
  if (network === 'omg-1rnn' || network === 'omg-3rnn') return createOmgNet({ variant: network === 'omg-1rnn' ? '1rnn' : '3rnn', inputSize: size });
  return createAffWildNet({ backbone: network, inputSize: size });
}

async function load(csv: string, length: number, size: number, remainder: 'drop' | 'mask') {
  return loadSequences(await readAffWildCsv(csv, { length, remainder }), size, true);
}

const common = (cmd: Command) =>
  cmd
    .addOption(new Option('--backend <name>', 'tfjs backend (default: best available)'))
    .option('--length <n>', 'frames per sequence', (v) => Number(v), 80)
    .option('--size <px>', 'frame size', (v) => Number(v), 96);

const program = new Command('facelab-affwildnet').description('AffWildNet / OMG-Emotion valence-arousal networks');

common(
  program
    .command('train')
    .description('train a network on a released-format CSV (path,valence,arousal)')
    .requiredOption('--data <csv>', 'training CSV')
    .requiredOption('--out <dir>', 'output folder: checkpoints, log, curves, model')
    .addOption(new Option('--network <name>', 'network').choices(NETWORKS).default('vgg16'))
    .option('--steps <n>', 'training steps', (v) => Number(v), 1000)
    .option('--batch <n>', 'sequences per batch', (v) => Number(v), 4)
    .option('--lr <rate>', 'Adam learning rate', (v) => Number(v), 1e-4)
    .option('--objective <name>', "'affwild' (per-frame CCC) or 'omg' (per-sequence means)", 'affwild')
    .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints'),
).action(async (o) => {
  await initBackend(o.backend);
  const set = await load(o.data, o.length, o.size, 'mask');
  const model = build(o.network, o.size);
  await mkdir(o.out, { recursive: true });
  await fitAffect(model, set, {
    steps: o.steps,
    batchSize: o.batch,
    learningRate: o.lr,
    objective: o.objective,
    checkpoint: { dir: join(o.out, 'checkpoints'), every: 100 },
    resume: Boolean(o.resume),
    log: join(o.out, 'train.jsonl'),
    curves: join(o.out, 'curves.png'),
    progress: true,
  });
  await model.save(fileSystemIO(join(o.out, 'model')));
  console.log(`model written to ${join(o.out, 'model')}`);
});

async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemIO(dir));
}

common(
  program
    .command('eval')
    .description('evaluate a trained model: CCC (pooled and per sequence), MSE, Pearson, SAGR')
    .requiredOption('--model <dir>', 'model folder written by train')
    .requiredOption('--data <csv>', 'evaluation CSV'),
).action(async (o) => {
  await initBackend(o.backend);
  const set = await load(o.data, o.length, o.size, 'mask');
  const model = await loadModel(o.model);
  console.log(JSON.stringify(evaluateAffect(clipLabels(set), predictClips(model, set)), null, 2));
});

common(
  program
    .command('predict')
    .description('predict valence/arousal per frame and write path,valence,arousal CSV')
    .requiredOption('--model <dir>', 'model folder written by train')
    .requiredOption('--data <csv>', 'CSV of frames (labels ignored)')
    .requiredOption('--out <csv>', 'predictions CSV'),
).action(async (o) => {
  await initBackend(o.backend);
  const seqs = await readAffWildCsv(o.data, { length: o.length, remainder: 'mask' });
  const set = await loadSequences(seqs, o.size, true);
  const pred = predictClips(await loadModel(o.model), set);
  const rows = seqs.flatMap((s, i) => pred[i]!.map((p, t) => [s.paths[t]!, p[0]!, p[1]!] as [string, number, number]));
  await writeCsv(o.out, rows, { header: ['path', 'valence', 'arousal'] });
  console.log(`${rows.length} predictions written to ${o.out}`);
});

await program.parseAsync();
