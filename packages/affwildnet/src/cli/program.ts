/**
 * facelab-affwildnet: train, evaluate and predict with AffWildNet / OMG networks on released-format CSVs
 * (`path,valence,arousal`), with progress bars, checkpoints and resume through core-tensor's trainer. OMG
 * networks default to OMG-Emotion's utterance level: the `omg` objective in training, and in eval/predict one
 * utterance per frame folder, scored by the CCC of per-utterance mean predictions.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { writeCsv } from '@facelab/runtime';
import { createAffWildNet } from '../model/affwildnet.js';
import { createOmgNet } from '../model/omgnet.js';
import { loadSequences, readAffWildCsv, readUtteranceCsv, sequenceUtterances, sequenceVideos } from '../data/released.js';
import { AFFECT_LEARNING_RATE, clipLabels, fitAffect, predictClips, predictUtterances, type AffectObjective } from '../train/fit.js';
import { evaluateAffect, evaluateUtterances } from '../eval/affect.js';

/** Networks the CLI builds. */
export const CLI_NETWORKS = ['vgg16', 'resnet50', 'omg-1rnn', 'omg-3rnn', 'small'] as const;
/** A network of {@link CLI_NETWORKS}. */
export type CliNetwork = (typeof CLI_NETWORKS)[number];
/** Level eval and predict work at: per frame (Aff-Wild) or per utterance (OMG-Emotion). */
export type EvalLevel = 'frame' | 'utterance';

/** The training objective a network defaults to: `omg` (per-sequence means) for OMG networks, else `affwild`. */
export function defaultObjective(network: CliNetwork): AffectObjective {
  return network.startsWith('omg-') ? 'omg' : 'affwild';
}

/** The level a saved model is evaluated at by default: `utterance` for OMG networks (`omgnet_*`), else `frame`. */
export function defaultLevel(model: tf.LayersModel): EvalLevel {
  return model.name.startsWith('omgnet') ? 'utterance' : 'frame';
}

interface NetworkOptions {
  size: number;
  fcDropout: number;
  gruGateBias: number;
}

function build(network: CliNetwork, o: NetworkOptions): tf.LayersModel {
  const common = { inputSize: o.size, fcDropout: o.fcDropout, gruGateBias: o.gruGateBias };
  if (network === 'omg-1rnn' || network === 'omg-3rnn') return createOmgNet({ ...common, variant: network === 'omg-1rnn' ? '1rnn' : '3rnn' });
  return createAffWildNet({ ...common, backbone: network });
}

const common = (cmd: Command) =>
  cmd
    .addOption(new Option('--backend <name>', 'tfjs backend (default: best available)'))
    .option('--length <n>', 'frames per sequence (frame level)', (v) => Number(v), 80)
    .option('--size <px>', 'frame size', (v) => Number(v), 96);

const level = () =>
  new Option('--level <level>', 'frame, or utterance: one utterance per frame folder (default: utterance for OMG networks)').choices(['frame', 'utterance']);

async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemIO(dir));
}

/** Reads `csv` at `level`: utterances (one per frame folder) or fixed-length clips. */
async function readLevel(csv: string, lvl: EvalLevel, length: number) {
  return lvl === 'utterance' ? readUtteranceCsv(csv) : readAffWildCsv(csv, { length, remainder: 'mask' });
}

/** The `facelab-affwildnet` program: `train`, `eval` and `predict`. */
export function buildProgram(): Command {
  const program = new Command('facelab-affwildnet').description('AffWildNet / OMG-Emotion valence-arousal networks');

  common(
    program
      .command('train')
      .description('train a network on a released-format CSV (path,valence,arousal)')
      .requiredOption('--data <csv>', 'training CSV')
      .requiredOption('--out <dir>', 'output folder: checkpoints, log, curves, model')
      .addOption(new Option('--network <name>', 'network').choices(CLI_NETWORKS).default('vgg16'))
      .option('--steps <n>', 'training steps', (v) => Number(v), 1000)
      .option('--batch <n>', 'sequences per batch', (v) => Number(v), 4)
      .option('--lr <rate>', 'Adam learning rate', (v) => Number(v), AFFECT_LEARNING_RATE)
      .addOption(
        new Option('--objective <name>', "'affwild' (per-frame CCC) or 'omg' (CCC of per-sequence means); default: omg for omg-* networks").choices(['affwild', 'omg']),
      )
      .option('--fc-dropout <rate>', 'dropout after the FC layer (the released training used 0.5)', (v) => Number(v), 0)
      .option('--gru-gate-bias <b>', 'initial GRU gate bias (TF1 GRUCell: 1)', (v) => Number(v), 0)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints'),
  ).action(async (o) => {
    await initBackend(o.backend);
    const set = await loadSequences(await readAffWildCsv(o.data, { length: o.length, remainder: 'mask' }), o.size, true);
    const model = build(o.network, o);
    await mkdir(o.out, { recursive: true });
    await fitAffect(model, set, {
      steps: o.steps,
      batchSize: o.batch,
      learningRate: o.lr,
      objective: o.objective ?? defaultObjective(o.network),
      checkpoint: { dir: join(o.out, 'checkpoints'), every: 100 },
      resume: Boolean(o.resume),
      log: join(o.out, 'train.jsonl'),
      curves: join(o.out, 'curves.png'),
      progress: true,
    });
    await model.save(fileSystemIO(join(o.out, 'model')));
    console.log(`model written to ${join(o.out, 'model')}`);
  });

  common(
    program
      .command('eval')
      .description('evaluate a trained model: frame level CCC (pooled, per clip, per video), MSE, Pearson, SAGR; utterance level CCC, MSE, Pearson')
      .requiredOption('--model <dir>', 'model folder written by train')
      .requiredOption('--data <csv>', 'evaluation CSV')
      .addOption(level()),
  ).action(async (o) => {
    await initBackend(o.backend);
    const model = await loadModel(o.model);
    const lvl: EvalLevel = o.level ?? defaultLevel(model);
    const seqs = await readLevel(o.data, lvl, o.length);
    const set = await loadSequences(seqs, o.size, true);
    const gold = clipLabels(set);
    const pred = predictClips(model, set);
    const metrics = lvl === 'utterance' ? evaluateUtterances(gold, pred) : evaluateAffect(gold, pred, { videos: sequenceVideos(seqs) });
    console.log(JSON.stringify({ level: lvl, ...metrics }, null, 2));
  });

  common(
    program
      .command('predict')
      .description('predict valence/arousal per frame (path,valence,arousal) or per utterance (utterance,valence,arousal)')
      .requiredOption('--model <dir>', 'model folder written by train')
      .requiredOption('--data <csv>', 'CSV of frames (labels ignored)')
      .requiredOption('--out <csv>', 'predictions CSV')
      .addOption(level()),
  ).action(async (o) => {
    await initBackend(o.backend);
    const model = await loadModel(o.model);
    const lvl: EvalLevel = o.level ?? defaultLevel(model);
    const seqs = await readLevel(o.data, lvl, o.length);
    const set = await loadSequences(seqs, o.size, true);
    if (lvl === 'utterance') {
      const names = sequenceUtterances(seqs, o.data);
      const rows = predictUtterances(model, set).map((p, i) => [names[i]!, p[0], p[1]] as [string, number, number]);
      await writeCsv(o.out, rows, { header: ['utterance', 'valence', 'arousal'] });
      console.log(`${rows.length} utterance predictions written to ${o.out}`);
      return;
    }
    const pred = predictClips(model, set);
    const rows = seqs.flatMap((s, i) => pred[i]!.map((p, t) => [s.paths[t]!, p[0]!, p[1]!] as [string, number, number]));
    await writeCsv(o.out, rows, { header: ['path', 'valence', 'arousal'] });
    console.log(`${rows.length} predictions written to ${o.out}`);
  });

  return program;
}
