/**
 * The `facelab-affwildnet` command line: train, evaluate and predict with AffWildNet / OMG networks on
 * released-format CSVs (`path,valence,arousal`), with progress bars, checkpoints and resume through
 * core-tensor's trainer. OMG networks default to OMG-Emotion's utterance level: the `omg` objective in training,
 * and in eval/predict one utterance per frame folder, scored by the CCC of per-utterance mean predictions.
 */
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKEND_ORDER, checkInferenceRuntime, fileSystemIO, initBackend, tf, type BackendName } from '@facelab/core-tensor';
import {
  InvalidArgumentError,
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
import { createFaceDetector } from '@facelab/face-detect';
import { createAffWildNet } from '../model/affwildnet.js';
import { plotVideoAffect, predictVideoAffect, writeVideoAffectCsv } from '../pipeline/video.js';
import { createOmgNet } from '../model/omgnet.js';
import { loadSequences, readAffWildCsv, readUtteranceCsv, sequenceUtterances, sequenceVideos, type AffWildSequence } from '../data/released.js';
import type { ClipSet } from '../data/sets.js';
import { AFFECT_LEARNING_RATE, fitAffect, type AffectObjective } from '../train/fit.js';
import { clipLabels } from '../eval/predict.js';
import { predictClips, predictUtterances, type PredictClipsOptions } from '../eval/predict-runtime.js';
import { evaluateAffect, evaluateUtterances, type AffectMetrics, type UtteranceMetrics } from '../eval/affect.js';

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

/** The frame size a saved model was built for: `--size` when given, else its input shape [T, size, size, 3]. */
function frameSize(model: tf.LayersModel, given: number | undefined): number {
  const shape = model.inputs[0]!.shape;
  const size = shape.length === 5 ? shape[2] : undefined;
  if (given !== undefined && size != null && given !== size) throw new UsageError(`--size ${given}: the model takes ${size}×${size} frames`);
  if (given === undefined && size == null) throw new UsageError('--size: the model does not fix its frame size; give the one it was trained with');
  return given ?? size!;
}

const existing = parsePath();

/** Largest `--size`: a batch of 80-frame sequences of larger frames would not fit in memory. */
const MAX_FRAME_SIZE = 1024;

/** `--size`: an integer in [1, MAX_FRAME_SIZE]. */
function parseFrameSize(value: string): number {
  const n = parseInteger(1)(value);
  if (n > MAX_FRAME_SIZE) throw new InvalidArgumentError(`expected at most ${MAX_FRAME_SIZE} pixels`);
  return n;
}

/** Options of every command: sequence length, frame size, backend, absolute frame paths. */
function common(cmd: Command, sizeDescription: string, defaultSize?: number): Command {
  const size = new Option('--size <px>', sizeDescription).argParser(parseFrameSize);
  return cmd
    .addOption(backendOption(BACKEND_ORDER))
    .option('--length <n>', 'frames per sequence (frame level)', parseInteger(1), 80)
    .addOption(defaultSize === undefined ? size : size.default(defaultSize))
    .option('--allow-absolute-paths', "accept absolute frame paths in the CSV (by default every path must lie inside the CSV's folder)");
}

const level = () =>
  new Option('--level <level>', 'frame, or utterance: one utterance per frame folder (default: utterance for OMG networks)').choices(['frame', 'utterance']);

/** Reads `csv` at `level`: utterances (one per frame folder) or fixed-length clips. */
async function readLevel(csv: string, lvl: EvalLevel, length: number, allowAbsolute: boolean) {
  return lvl === 'utterance' ? readUtteranceCsv(csv, { allowAbsolute }) : readAffWildCsv(csv, { length, remainder: 'mask', allowAbsolute });
}

/** What eval and predict work on: the saved model, the level, the CSV's sequences and their frames. */
interface ModelRun {
  model: tf.LayersModel;
  lvl: EvalLevel;
  seqs: AffWildSequence[];
  set: ClipSet;
  /** predictClips' runtime (--runtime). */
  runtime: PredictClipsOptions;
}

/** A command that runs a saved model on a CSV (eval, predict): its shared options, then `extra`'s. */
function modelCommand(program: Command, name: string, description: string, dataDescription: string, extra: (cmd: Command) => Command, dataRequired = true): Command {
  const cmd = program
    .command(name)
    .description(description)
    .requiredOption('--model <dir>', 'model folder written by train', parsePath('directory'))
    .addOption(new Option('--runtime <name>', 'what runs the network: tfjs, or onnx (exported and run whole in onnxruntime-node)').choices(['tfjs', 'onnx']).default('tfjs'));
  if (dataRequired) cmd.requiredOption('--data <csv>', dataDescription, existing);
  else cmd.option('--data <csv>', dataDescription, existing);
  return common(extra(cmd).addOption(level()).addOption(jsonOption()), "frame size (default: the model's)");
}

/** The flags eval and predict share, as commander parses them. */
interface ModelFlags {
  backend?: BackendName;
  model: string;
  data: string;
  level?: EvalLevel;
  length: number;
  size?: number;
  allowAbsolutePaths?: boolean;
  runtime: string;
}

/** Loads the model and the data of an eval/predict invocation, runs `f`, and disposes the model. */
async function withModel<T>(o: ModelFlags, f: (run: ModelRun) => Promise<T>): Promise<T> {
  await initBackend(o.backend);
  const model = await tf.loadLayersModel(fileSystemIO(o.model));
  try {
    const lvl: EvalLevel = o.level ?? defaultLevel(model);
    const seqs = await readLevel(o.data, lvl, o.length, Boolean(o.allowAbsolutePaths));
    const set = await loadSequences(seqs, frameSize(model, o.size), true);
    return await f({ model, lvl, seqs, set, runtime: { runtime: checkInferenceRuntime(o.runtime, '--runtime') } });
  } finally {
    model.dispose();
  }
}

type EvalResult = ({ level: 'frame' } & AffectMetrics) | ({ level: 'utterance' } & UtteranceMetrics);

const metricsLine = (r: EvalResult) =>
  (['valence', 'arousal'] as const)
    .map((d) => {
      if (r.level === 'utterance') {
        const m = r[d];
        return `${d}: utterance CCC ${m.ccc.toFixed(4)}, MSE ${m.mse.toFixed(4)}, Pearson ${m.pearson.toFixed(4)}`;
      }
      const m = r[d];
      return (
        `${d}: CCC ${m.cccPooled.toFixed(4)} (per clip ${m.cccPerClip.toFixed(4)}, per video ${m.cccPerVideo?.toFixed(4) ?? '-'}), ` +
        `MSE ${m.mse.toFixed(4)}, Pearson ${m.pearson.toFixed(4)}, SAGR ${m.sagr.toFixed(4)}`
      );
    })
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
      .addOption(new Option('--network <name>', 'network').choices(CLI_NETWORKS).default('vgg16'))
      .addOption(stepsOption(1000))
      .addOption(batchSizeOption(4, 'sequences per batch'))
      .option('--lr <rate>', 'Adam learning rate', parseNumber(0), AFFECT_LEARNING_RATE)
      .addOption(seedOption(0))
      .addOption(
        new Option('--objective <name>', "'affwild' (per-frame CCC) or 'omg' (CCC of per-sequence means); default: omg for omg-* networks").choices(['affwild', 'omg']),
      )
      .option('--fc-dropout <rate>', 'dropout after the FC layer (the released training used 0.5)', parseNumber(0), 0)
      .option('--gru-gate-bias <b>', 'initial GRU gate bias (TF1 GRUCell: 1)', parseNumber(), 0)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .option('--checkpoint-every <n>', 'steps between checkpoints in <out>/checkpoints', parseInteger(1), 100)
      .addOption(jsonOption()),
    'frame size',
    96,
  ).action(async (o, cmd: Command) => {
    await initBackend(o.backend);
    const set = await loadSequences(await readAffWildCsv(o.data, { length: o.length, remainder: 'mask', allowAbsolute: Boolean(o.allowAbsolutePaths) }), o.size, true);
    const model = build(o.network, o);
    await mkdir(o.out, { recursive: true });
    const result = await fitAffect(model, set, {
      steps: o.steps,
      batchSize: o.batchSize,
      learningRate: o.lr,
      objective: o.objective ?? defaultObjective(o.network),
      seed: o.seed,
      checkpoint: { dir: join(o.out, 'checkpoints'), every: o.checkpointEvery },
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

  modelCommand(
    program,
    'eval',
    'evaluate a trained model: frame level CCC (pooled, per clip, per video), MSE, Pearson, SAGR; utterance level CCC, MSE, Pearson',
    'evaluation CSV',
    (cmd) => cmd,
  ).action((o, cmd: Command) =>
    withModel(o, async ({ model, lvl, seqs, set, runtime }) => {
      const gold = clipLabels(set);
      const pred = predictClips(model, set, 8, runtime);
      const result: EvalResult =
        lvl === 'utterance'
          ? { level: 'utterance', ...evaluateUtterances(gold, pred) }
          : { level: 'frame', ...evaluateAffect(gold, pred, { videos: sequenceVideos(seqs) }) };
      printResult(cmd, result, metricsLine);
    }),
  );

  modelCommand(
    program,
    'predict',
    'predict valence/arousal for a video (one tracked face: CSV per frame + PNG plot), per frame of a CSV (path,valence,arousal) or per utterance',
    'CSV of frames (labels ignored), instead of a video',
    (cmd) =>
      cmd
        .argument('[video]', 'a video file: faces detected and tracked (needs @vladmandic/human)')
        .addOption(outOption('predictions CSV (a video: also <out without .csv>.png)'))
        .option('--margin <x>', 'video: extra side around the face box for the square crop', parseNumber(0), 0.25)
        .option('--no-progress', 'video: no progress lines'),
    false,
  ).action(async (video: string | undefined, o, cmd: Command) => {
    if ((video === undefined) === (o.data === undefined)) throw new UsageError('predict: give a video or --data <csv>, not both or neither');
    if (video !== undefined) {
      if (!statSync(video, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`predict: video '${video}': no such file`);
      if (o.level === 'utterance') throw new UsageError('predict: a video is predicted per frame (--level frame)');
      await initBackend(o.backend);
      const model = await tf.loadLayersModel(fileSystemIO(o.model));
      try {
        frameSize(model, o.size);
        const detector = await createFaceDetector();
        const progress = o.progress && !o.json;
        const started = performance.now();
        const result = await predictVideoAffect(model, detector, video, {
          length: o.length,
          margin: o.margin,
          onFrame: progress ? (done, total) => process.stderr.write(`\rframe ${done}/${total || '?'}${done === total ? '\n' : ''}`) : undefined,
        });
        const seconds = (performance.now() - started) / 1000;
        const png = o.out.replace(/\.csv$/i, '') + '.png';
        await writeVideoAffectCsv(o.out, result);
        const plot = (await plotVideoAffect(png, result)) ? png : null;
        const summary = { video, fps: result.fps, frames: result.frames.length, detected: result.detected, msPerFrame: (1000 * seconds) / result.frames.length, out: o.out, plot };
        printResult(cmd, summary, (r) => `${r.frames} frames at ${r.fps} fps, face in ${r.detected}; predictions in ${r.out}${r.plot ? `, plot in ${r.plot}` : ' (no face: no plot)'} (${r.msPerFrame.toFixed(0)} ms per frame)`);
      } finally {
        model.dispose();
      }
      return;
    }
    return withModel(o, async ({ model, lvl, seqs, set, runtime }) => {
      if (lvl === 'utterance') {
        const names = sequenceUtterances(seqs, o.data);
        const rows = predictUtterances(model, set, 8, runtime).map((p, i) => [names[i]!, p[0], p[1]] as [string, number, number]);
        await writeCsv(o.out, rows, { header: ['utterance', 'valence', 'arousal'] });
        printResult(cmd, { level: lvl, predictions: rows.length, out: o.out }, (r) => `${r.predictions} utterance predictions written to ${r.out}`);
        return;
      }
      const pred = predictClips(model, set, 8, runtime);
      const rows = seqs.flatMap((s, i) => pred[i]!.map((p, t) => [s.paths[t]!, p[0]!, p[1]!] as [string, number, number]));
      await writeCsv(o.out, rows, { header: ['path', 'valence', 'arousal'] });
      printResult(cmd, { level: lvl, predictions: rows.length, out: o.out }, (r) => `${r.predictions} predictions written to ${r.out}`);
    });
  });
  return program;
}
