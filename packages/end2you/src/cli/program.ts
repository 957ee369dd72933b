/** The `facelab-end2you` command line: generate → train → test, and evaluate. */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileSystemIO, initBackend, tf, type BackendName } from '@facelab/core-tensor';
import { writeFileAtomic } from '@facelab/runtime';
import { Command, InvalidArgumentError } from 'commander';
import { generate } from '../data/generate.js';
import { checkLossName, type LossName } from '../loss/masked.js';
import { AUDIO_NETS, createEnd2YouModel, MODALITIES, type AudioNet, type End2YouModelOptions, type Modality } from '../model/end2you.js';
import { FUSION_METHODS, type FusionMethod } from '../model/fusion.js';
import { VISUAL_NETS, type VisualNet } from '../model/visual.js';
import { checkMetricName, type MetricName, type Scores } from '../eval/scores.js';
import { evaluatePredictions, predictRecords, readPredictions, scoreRecords, writePredictions } from '../eval/predict.js';
import { checkCompatible, readRecordDir } from '../train/batches.js';
import { BEST_MODEL_DIR, fitEnd2You } from '../train/fit.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got '${v}'`);
  return n;
};
const oneOf = <T extends string>(name: string, values: readonly T[]) => (v: string) => {
  if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}, got '${v}'`);
  return v as T;
};
const listOf = <T extends string>(name: string, values: readonly T[]) => (v: string) => v.split(',').map((x) => oneOf(name, values)(x.trim()));

/** The training configuration saved beside the model, read back by `test`. */
export interface TrainConfig {
  model: End2YouModelOptions;
  modalities: Modality[];
  labelNames: string[];
  loss: LossName;
  metric: MetricName;
  seqLength?: number;
}

/** The file holding a {@link TrainConfig} in a training directory. */
export const TRAIN_CONFIG_FILE = 'config.json';

function print(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value) : text);
}

function formatScores(s: Scores): string {
  return `${s.metric} ${s.mean.toFixed(4)} (${Object.entries(s.perLabel).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')})`;
}

async function backend(program: Command): Promise<void> {
  await initBackend(program.opts<{ backend?: BackendName }>().backend);
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('facelab-end2you')
    .description('End2You on TensorFlow.js: raw audio, face video and physiological signals → HDF5 → trained model → predictions')
    .option('--backend <name>', 'tfjs backend (default: the best available)')
    .showHelpAfterError();

  program
    .command('generate')
    .description('raw files + label CSVs → one HDF5 file per input (audio S×T, visual S×F×3×H×W, physio S×T×C, labels S×L)')
    .requiredOption('--input-list <csv>', "CSV: header, then 'raw file[,raw file…],label file' per row")
    .requiredOption('--out <dir>', 'directory for the .hdf5 files')
    .option('--audio-rate <hz>', 'audio sample rate', int('--audio-rate'), 16000)
    .option('--fps <n>', 'video frames per second to sample (default: the file’s own)', num('--fps'))
    .option('--size <n>', 'face crop size in pixels', int('--size'), 96)
    .option('--box <x,y,w,h>', 'face box for every frame (default: the whole frame)', (v) => {
      const [x, y, width, height] = v.split(',').map(Number);
      if (![x, y, width, height].every((n) => Number.isFinite(n)) || !(width! > 0 && height! > 0)) throw new InvalidArgumentError(`--box must be x,y,w,h with w, h > 0, got '${v}'`);
      return { x: x!, y: y!, width: width!, height: height! };
    })
    .option('--video-modalities <list>', 'what to take from videos: audio,visual', listOf('--video-modalities', ['audio', 'visual'] as const), ['audio', 'visual'])
    .option('--overwrite', 'rewrite existing .hdf5 files (default: skip them)')
    .option('--json', 'print the written files as JSON')
    .action(async (o) => {
      const t0 = performance.now();
      const files = await generate(resolve(o.inputList), resolve(o.out), {
        audioRate: o.audioRate, fps: o.fps, size: o.size, box: o.box, videoModalities: o.videoModalities, overwrite: o.overwrite,
        onFile: o.json ? undefined : ({ index, total, path, skipped }) => process.stderr.write(`[${index + 1}/${total}] ${skipped ? 'exists ' : ''}${path}\n`),
      });
      const seconds = (performance.now() - t0) / 1000;
      print(o.json, { files, seconds }, `wrote ${files.length} HDF5 files to ${o.out} in ${seconds.toFixed(1)} s`);
    });

  program
    .command('train')
    .description('train a model on HDF5 files, validating each epoch and keeping the best epoch in <out>/best')
    .requiredOption('--train <dir>', 'training .hdf5 files')
    .requiredOption('--valid <dir>', 'validation .hdf5 files')
    .requiredOption('--out <dir>', 'output: checkpoints, best/, best_valid_scores.json, train.jsonl, curves.png, config.json')
    .option('--modalities <list>', 'modalities to use (default: all in the files)', listOf('--modalities', MODALITIES))
    .option('--audio-net <name>', AUDIO_NETS.join(' | '), oneOf('--audio-net', AUDIO_NETS), 'emo16')
    .option('--visual-net <name>', VISUAL_NETS.join(' | '), oneOf('--visual-net', VISUAL_NETS), 'resnet18')
    .option('--fusion <method>', FUSION_METHODS.join(' | '), oneOf('--fusion', FUSION_METHODS), 'concat')
    .option('--rnn-cell <cell>', 'gru | lstm (default: upstream’s per modality)', oneOf('--rnn-cell', ['gru', 'lstm'] as const))
    .option('--rnn-units <n>', 'hidden units (default: 256, or 512 fused)', int('--rnn-units'))
    .option('--rnn-layers <n>', 'stacked layers (default 2)', int('--rnn-layers'))
    .option('--classes <n>', 'classification with n classes (labels hold class indices); default: regression', int('--classes'))
    .option('--loss <name>', 'ccc | mse | ce (default: ccc, or ce with --classes)')
    .option('--metric <name>', 'ccc | mse | uar (default: ccc, or uar with --classes)')
    .option('--upstream-compat', "CCC loss with upstream's unbiased variances and biased covariance")
    .option('--epochs <n>', 'epochs', int('--epochs'), 10)
    .option('--batch-size <n>', 'windows per batch', int('--batch-size'), 2)
    .option('--seq-length <n>', 'steps per window (default: whole files)', int('--seq-length'))
    .option('--lr <x>', 'Adam learning rate', num('--lr'), 1e-3)
    .option('--seed <n>', 'seed of weights and shuffling', int('--seed'), 1)
    .option('--resume', 'continue from the newest checkpoint in --out')
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      await backend(program);
      const train = await readRecordDir(resolve(o.train));
      const valid = await readRecordDir(resolve(o.valid));
      const present = checkCompatible([...train.records, ...valid.records], [...train.paths, ...valid.paths]);
      const modalities: Modality[] = o.modalities ?? present;
      for (const m of modalities) if (!present.includes(m)) throw new Error(`--modalities: the files have no '${m}' (they have ${present.join(', ')})`);
      const first = train.records[0]!;
      const classes: number | undefined = o.classes;
      const loss = checkLossName(o.loss ?? (classes ? 'ce' : 'ccc'), '--loss');
      const metric = checkMetricName(o.metric ?? (classes ? 'uar' : 'ccc'));
      const model: End2YouModelOptions = {
        outputs: classes ?? first.labelNames.length,
        fusion: o.fusion as FusionMethod,
        rnn: { ...(o.rnnCell && { cell: o.rnnCell }), ...(o.rnnUnits && { units: o.rnnUnits }), ...(o.rnnLayers && { layers: o.rnnLayers }) },
        seed: o.seed,
        ...(modalities.includes('audio') && { audio: { net: o.audioNet as AudioNet, samples: first.audio!.shape[1]! } }),
        ...(modalities.includes('visual') && { visual: { net: o.visualNet as VisualNet, size: first.visual!.shape[3]! } }),
        ...(modalities.includes('physio') && { physio: { samples: first.physio!.shape[1]!, channels: first.physio!.shape[2]! } }),
      };
      const config: TrainConfig = { model, modalities, labelNames: first.labelNames, loss, metric, seqLength: o.seqLength };
      const out = resolve(o.out);
      await mkdir(out, { recursive: true });
      await writeFileAtomic(join(out, TRAIN_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
      const net = createEnd2YouModel(model);
      try {
        const result = await fitEnd2You({
          model: net, modalities, train: train.records, valid: valid.records, loss, metric, upstreamCompat: o.upstreamCompat,
          epochs: o.epochs, batchSize: o.batchSize, seqLength: o.seqLength, learningRate: o.lr, outDir: out, resume: o.resume, seed: o.seed,
          progress: !o.json && process.stderr.isTTY,
          onEpoch: o.json ? undefined : ({ epoch, scores, best }) => process.stderr.write(`epoch ${epoch}: valid ${formatScores(scores)}${best ? ' (best)' : ''}\n`),
        });
        const best = result.best;
        print(o.json, { best, history: result.history, out }, best ? `best epoch ${best.epoch}: ${formatScores(best.scores)}; model in ${join(out, BEST_MODEL_DIR)}` : 'no finite validation score');
      } finally {
        net.dispose();
      }
    });

  program
    .command('test')
    .description('predict with the best model of a training directory; writes predictions.json and prints the metric')
    .requiredOption('--model <dir>', 'a `train` output directory')
    .requiredOption('--data <dir>', 'test .hdf5 files')
    .requiredOption('--out <dir>', 'where predictions.json goes')
    .option('--metric <name>', 'ccc | mse | uar (default: the training metric)')
    .option('--json', 'print the scores as JSON')
    .action(async (o) => {
      await backend(program);
      const dir = resolve(o.model);
      let config: TrainConfig;
      try {
        config = JSON.parse(await readFile(join(dir, TRAIN_CONFIG_FILE), 'utf8')) as TrainConfig;
      } catch (err) {
        throw new Error(`--model ${dir}: no readable ${TRAIN_CONFIG_FILE} (is it a \`train\` output?): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const data = await readRecordDir(resolve(o.data));
      checkCompatible(data.records, data.paths);
      const net = createEnd2YouModel(config.model);
      const saved = await tf.loadLayersModel(fileSystemIO(join(dir, BEST_MODEL_DIR)));
      net.setWeights(saved.getWeights());
      saved.dispose();
      try {
        const predictions = predictRecords(net, data.records, config.modalities, { seqLength: config.seqLength });
        const metric = checkMetricName(o.metric ?? config.metric);
        const scores = scoreRecords(predictions, data.records, metric);
        const out = resolve(o.out);
        await mkdir(out, { recursive: true });
        await writePredictions(join(out, 'predictions.json'), {
          labelNames: config.labelNames,
          files: data.paths.map((file, i) => ({ file, labelFile: data.records[i]!.labelFile, predictions: predictions[i]! })),
        });
        await writeFileAtomic(join(out, 'scores.json'), JSON.stringify(scores, null, 2) + '\n');
        print(o.json, scores, `${formatScores(scores)}; predictions in ${join(out, 'predictions.json')}`);
      } finally {
        net.dispose();
      }
    });

  program
    .command('evaluate')
    .description('score a predictions.json against the labels of HDF5 files')
    .requiredOption('--predictions <file>', 'predictions.json from `test`')
    .requiredOption('--data <dir>', '.hdf5 files with the labels')
    .option('--metric <name>', 'ccc | mse | uar', 'ccc')
    .option('--json', 'print the scores as JSON')
    .action(async (o) => {
      const data = await readRecordDir(resolve(o.data));
      const scores = evaluatePredictions(await readPredictions(resolve(o.predictions)), data.records, data.paths, checkMetricName(o.metric));
      print(o.json, scores, formatScores(scores));
    });

  return program;
}
