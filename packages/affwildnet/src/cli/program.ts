/**
 * The `facelab-affwildnet` command line: train, evaluate and predict with AffWildNet / OMG networks on
 * released-format CSVs (`path,valence,arousal`), with progress bars, checkpoints and resume through
 * core-tensor's trainer.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKEND_ORDER, fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import {
  Option,
  UsageError,
  backendOption,
  batchSizeOption,
  createProgram,
  jsonOption,
  outOption,
  parseInteger,
  parseNumber,
  parsePath,
  printResult,
  seedOption,
  stepsOption,
  writeCsv,
  type Command,
} from '@facelab/runtime';
import { createAffWildNet } from '../model/affwildnet.js';
import { createOmgNet } from '../model/omgnet.js';
import { loadSequences, readAffWildCsv } from '../data/released.js';
import { clipLabels, fitAffect, predictClips } from '../train/fit.js';
import { evaluateAffect, type AffectMetrics } from '../eval/affect.js';

const NETWORKS = ['vgg16', 'resnet50', 'omg-1rnn', 'omg-3rnn', 'small'] as const;
type Network = (typeof NETWORKS)[number];

function build(network: Network, size: number): tf.LayersModel {
  if (network === 'omg-1rnn' || network === 'omg-3rnn') return createOmgNet({ variant: network === 'omg-1rnn' ? '1rnn' : '3rnn', inputSize: size });
  return createAffWildNet({ backbone: network, inputSize: size });
}

/** The frame size a saved model was built for: `--size` when given, else its input shape [T, size, size, 3]. */
function frameSize(model: tf.LayersModel, given: number | undefined): number {
  const shape = model.inputs[0]!.shape;
  const size = shape.length === 5 ? shape[2] : undefined;
  if (given !== undefined && size != null && given !== size) throw new UsageError(`--size ${given}: the model takes ${size}×${size} frames`);
  if (given === undefined && size == null) throw new UsageError('--size: the model does not fix its frame size; give the one it was trained with');
  return given ?? size!;
}

const existing = parsePath();

/** Options of every command: sequence length, frame size, backend. */
function common(cmd: Command, sizeDescription: string, defaultSize?: number): Command {
  const size = new Option('--size <px>', sizeDescription).argParser(parseInteger(1));
  return cmd
    .addOption(backendOption(BACKEND_ORDER))
    .option('--length <n>', 'frames per sequence', parseInteger(1), 80)
    .addOption(defaultSize === undefined ? size : size.default(defaultSize));
}

const metricsLine = (m: AffectMetrics) =>
  (['valence', 'arousal'] as const)
    .map((d) => `${d}: CCC ${m[d].cccPooled.toFixed(4)} (per sequence ${m[d].cccPerVideo.toFixed(4)}), MSE ${m[d].mse.toFixed(4)}, Pearson ${m[d].pearson.toFixed(4)}, SAGR ${m[d].sagr.toFixed(4)}`)
    .join('\n');

/** Builds the `facelab-affwildnet` program (exported for tests; src/cli.ts runs it). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-affwildnet',
    description: 'AffWildNet / OMG-Emotion valence-arousal networks',
    moduleUrl: import.meta.url,
  });

  common(
    program
      .command('train')
      .description('train a network on a released-format CSV (path,valence,arousal)')
      .requiredOption('--data <csv>', 'training CSV', existing)
      .addOption(outOption('output folder: checkpoints, log, curves, model'))
      .addOption(new Option('--network <name>', 'network').choices(NETWORKS).default('vgg16'))
      .addOption(stepsOption(1000))
      .addOption(batchSizeOption(4, 'sequences per batch'))
      .option('--lr <rate>', 'Adam learning rate', parseNumber(0), 1e-4)
      .addOption(seedOption(0))
      .addOption(new Option('--objective <name>', "'affwild' (per-frame CCC) or 'omg' (per-sequence means)").choices(['affwild', 'omg']).default('affwild'))
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .addOption(jsonOption()),
    'frame size',
    96,
  ).action(async (o, cmd: Command) => {
    await initBackend(o.backend);
    const set = await loadSequences(await readAffWildCsv(o.data, { length: o.length, remainder: 'mask' }), o.size, true);
    const model = build(o.network, o.size);
    await mkdir(o.out, { recursive: true });
    const result = await fitAffect(model, set, {
      steps: o.steps,
      batchSize: o.batchSize,
      learningRate: o.lr,
      objective: o.objective,
      seed: o.seed,
      checkpoint: { dir: join(o.out, 'checkpoints'), every: 100 },
      resume: Boolean(o.resume),
      log: join(o.out, 'train.jsonl'),
      curves: join(o.out, 'curves.png'),
      progress: true,
    });
    await model.save(fileSystemIO(join(o.out, 'model')));
    const last = result.records.at(-1);
    const summary = { steps: result.step, stopReason: result.stopReason, lastLoss: last?.loss, model: join(o.out, 'model') };
    printResult(cmd, summary, (r) => `trained ${r.steps} steps (${r.stopReason}), last loss ${r.lastLoss?.toFixed(4) ?? '-'}; model in ${r.model}`);
  });

  common(
    program
      .command('eval')
      .description('evaluate a trained model: CCC (pooled and per sequence), MSE, Pearson, SAGR')
      .requiredOption('--model <dir>', 'model folder written by train', parsePath('directory'))
      .requiredOption('--data <csv>', 'evaluation CSV', existing)
      .addOption(jsonOption()),
    "frame size (default: the model's)",
  ).action(async (o, cmd: Command) => {
    await initBackend(o.backend);
    const model = await tf.loadLayersModel(fileSystemIO(o.model));
    const set = await loadSequences(await readAffWildCsv(o.data, { length: o.length, remainder: 'mask' }), frameSize(model, o.size), true);
    printResult(cmd, evaluateAffect(clipLabels(set), predictClips(model, set)), metricsLine);
  });

  common(
    program
      .command('predict')
      .description('predict valence/arousal per frame and write path,valence,arousal CSV')
      .requiredOption('--model <dir>', 'model folder written by train', parsePath('directory'))
      .requiredOption('--data <csv>', 'CSV of frames (labels ignored)', existing)
      .addOption(outOption('predictions CSV'))
      .addOption(jsonOption()),
    "frame size (default: the model's)",
  ).action(async (o, cmd: Command) => {
    await initBackend(o.backend);
    const model = await tf.loadLayersModel(fileSystemIO(o.model));
    const seqs = await readAffWildCsv(o.data, { length: o.length, remainder: 'mask' });
    const pred = predictClips(model, await loadSequences(seqs, frameSize(model, o.size), true));
    const rows = seqs.flatMap((s, i) => pred[i]!.map((p, t) => [s.paths[t]!, p[0]!, p[1]!] as [string, number, number]));
    await writeCsv(o.out, rows, { header: ['path', 'valence', 'arousal'] });
    printResult(cmd, { predictions: rows.length, out: o.out }, (r) => `${r.predictions} predictions written to ${r.out}`);
  });
  return program;
}
