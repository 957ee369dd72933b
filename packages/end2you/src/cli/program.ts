/** The `facelab-end2you` command line: generate → train → test, and evaluate. */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKEND_ORDER, initBackend, loadModelDir } from '@facelab/core-tensor';
import { createFaceDetector, trackFaceBoxes } from '@facelab/face-detect';
import {
  InvalidArgumentError,
  Option,
  UsageError,
  backendOption,
  batchSizeOption,
  createProgram,
  decimalNumber,
  jsonOption,
  outOption,
  parseInteger,
  parseNumber,
  parsePath,
  printResult,
  seedOption,
  writeFileAtomic,
  type Command,
} from '@facelab/runtime';
import { generate } from '../data/generate.js';
import { LOSS_NAMES, type LossName } from '../loss/masked.js';
import { AUDIO_NETS, createEnd2YouModel, MODALITIES, type AudioNet, type End2YouModelOptions, type Modality } from '../model/end2you.js';
import { FUSION_METHODS, type FusionMethod } from '../model/fusion.js';
import { VISUAL_NETS, type VisualNet } from '../model/visual.js';
import { METRIC_NAMES, type MetricName, type Scores } from '../eval/scores.js';
import { evaluatePredictions, predictRecords, readPredictions, scoreRecords, writePredictions } from '../eval/predict.js';
import { checkCompatible, readRecordDir } from '../train/batches.js';
import { BEST_MODEL_DIR, fitEnd2You } from '../train/fit.js';

/** A comma-separated list of `values`, e.g. `audio,visual`. */
const listOf =
  <T extends string>(values: readonly T[]) =>
  (v: string): T[] =>
    v.split(',').map((x) => {
      if (!(values as readonly string[]).includes(x.trim())) throw new InvalidArgumentError(`expected a comma-separated list of ${values.join(', ')}`);
      return x.trim() as T;
    });

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

function formatScores(s: Scores): string {
  return `${s.metric} ${s.mean.toFixed(4)} (${Object.entries(s.perLabel).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')})`;
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-end2you',
    description: 'End2You on TensorFlow.js: raw audio, face video and physiological signals → HDF5 → trained model → predictions',
    moduleUrl: import.meta.url,
  });
  const folder = parsePath('directory');
  const file = parsePath('file');

  program
    .command('generate')
    .description('raw files + label CSVs → one HDF5 file per input (audio S×T, visual S×F×3×H×W, physio S×T×C, labels S×L)')
    .requiredOption('--input-list <csv>', "CSV: header, then 'raw file[,raw file…],label file' per row", file)
    .addOption(outOption('directory for the .hdf5 files'))
    .option('--audio-rate <hz>', 'audio sample rate', parseInteger(1), 16000)
    .option('--fps <n>', 'video frames per second to sample (default: the file’s own)', parseNumber(0))
    .option('--size <n>', 'face crop size in pixels', parseInteger(1), 96)
    .option('--box <x,y,w,h>', 'face box for every frame (default: the whole frame)', (v) => {
      const [x, y, width, height] = v.split(',').map(decimalNumber);
      if (![x, y, width, height].every((n) => Number.isFinite(n)) || !(width! > 0 && height! > 0)) throw new InvalidArgumentError('expected x,y,w,h with w, h > 0');
      return { x: x!, y: y!, width: width!, height: height! };
    })
    .option('--detect', 'detect and track the face in every video frame: square boxes with --margin (needs @vladmandic/human; overrides --box)')
    .option('--margin <x>', 'with --detect: extra side around the face box', parseNumber(0), 0.25)
    .option('--video-modalities <list>', 'what to take from videos: audio,visual', listOf(['audio', 'visual'] as const), ['audio', 'visual'])
    .option('--overwrite', 'rewrite existing .hdf5 files (default: skip them)')
    .option('--allow-absolute-paths', "accept absolute paths in the input list (by default every path must lie inside the list's folder)")
    .addOption(jsonOption())
    .action(async (o, cmd: Command) => {
      const t0 = performance.now();
      if (o.detect && o.box !== undefined) throw new UsageError('generate: --detect finds the boxes: give it without --box');
      if (o.detect) await initBackend();
      const detector = o.detect ? await createFaceDetector() : undefined;
      const faceBoxes = detector && (async (video: string) => (await trackFaceBoxes(detector, video, { margin: o.margin, fps: o.fps })).boxes);
      const files = await generate(resolve(o.inputList), resolve(o.out), {
        audioRate: o.audioRate, fps: o.fps, size: o.size, box: o.box, faceBoxes, videoModalities: o.videoModalities, overwrite: o.overwrite,
        allowAbsolute: o.allowAbsolutePaths ?? false,
        onFile: o.json ? undefined : ({ index, total, path, skipped }) => process.stderr.write(`[${index + 1}/${total}] ${skipped ? 'exists ' : ''}${path}\n`),
      });
      const seconds = (performance.now() - t0) / 1000;
      printResult(cmd, { files, seconds }, (r) => `wrote ${r.files.length} HDF5 files to ${o.out} in ${r.seconds.toFixed(1)} s`);
    });

  program
    .command('train')
    .description('train a model on HDF5 files, validating each epoch and keeping the best epoch in <out>/best')
    .requiredOption('--train <dir>', 'training .hdf5 files', folder)
    .requiredOption('--valid <dir>', 'validation .hdf5 files', folder)
    .addOption(outOption('output: checkpoints, best/, best_valid_scores.json, train.jsonl, curves.png, config.json'))
    .option('--modalities <list>', 'modalities to use (default: all in the files)', listOf(MODALITIES))
    .addOption(new Option('--audio-net <name>', 'audio encoder').choices(AUDIO_NETS).default('emo16'))
    .addOption(new Option('--visual-net <name>', 'visual encoder').choices(VISUAL_NETS).default('resnet18'))
    .addOption(new Option('--fusion <method>', 'fusion of several modalities').choices(FUSION_METHODS).default('concat'))
    .addOption(new Option('--rnn-cell <cell>', 'recurrent cell (default: upstream’s per modality)').choices(['gru', 'lstm']))
    .option('--rnn-units <n>', 'hidden units (default: 256, or 512 fused)', parseInteger(1))
    .option('--rnn-layers <n>', 'stacked layers (default 2)', parseInteger(1))
    .option('--classes <n>', 'classification with n classes (labels hold class indices); default: regression', parseInteger(2))
    .addOption(new Option('--loss <name>', 'loss (default: ccc, or ce with --classes)').choices(LOSS_NAMES))
    .addOption(new Option('--metric <name>', 'validation metric (default: ccc, or uar with --classes)').choices(METRIC_NAMES))
    .option('--upstream-compat', "CCC loss with upstream's unbiased variances and biased covariance")
    .option('--epochs <n>', 'epochs', parseInteger(1), 10)
    .addOption(batchSizeOption(2, 'windows per batch'))
    .option('--seq-length <n>', 'steps per window (default: whole files)', parseInteger(1))
    .option('--lr <x>', 'Adam learning rate', parseNumber(0), 1e-3)
    .addOption(seedOption(1, 'seed of weights and shuffling'))
    .option('--resume', 'continue from the newest checkpoint in --out')
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (o, cmd: Command) => {
      await initBackend(o.backend);
      const train = await readRecordDir(resolve(o.train));
      const valid = await readRecordDir(resolve(o.valid));
      const present = checkCompatible([...train.records, ...valid.records], [...train.paths, ...valid.paths]);
      const modalities: Modality[] = o.modalities ?? present;
      for (const m of modalities) if (!present.includes(m)) throw new UsageError(`--modalities: the files have no '${m}' (they have ${present.join(', ')})`);
      const first = train.records[0]!;
      const classes: number | undefined = o.classes;
      const loss: LossName = o.loss ?? (classes ? 'ce' : 'ccc');
      const metric: MetricName = o.metric ?? (classes ? 'uar' : 'ccc');
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
        printResult(cmd, { best: result.best, history: result.history, out }, ({ best }) =>
          best ? `best epoch ${best.epoch}: ${formatScores(best.scores)}; model in ${join(out, BEST_MODEL_DIR)}` : 'no finite validation score',
        );
      } finally {
        net.dispose();
      }
    });

  program
    .command('test')
    .description('predict with the best model of a training directory; writes predictions.json and prints the metric')
    .requiredOption('--model <dir>', 'a `train` output directory', folder)
    .requiredOption('--data <dir>', 'test .hdf5 files', folder)
    .addOption(outOption('where predictions.json goes'))
    .addOption(new Option('--metric <name>', 'metric (default: the training metric)').choices(METRIC_NAMES))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (o, cmd: Command) => {
      await initBackend(o.backend);
      const dir = resolve(o.model);
      let config: TrainConfig;
      try {
        config = JSON.parse(await readFile(join(dir, TRAIN_CONFIG_FILE), 'utf8')) as TrainConfig;
      } catch (err) {
        throw new UsageError(`--model ${dir}: no readable ${TRAIN_CONFIG_FILE} (is it a \`train\` output?): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const data = await readRecordDir(resolve(o.data));
      checkCompatible(data.records, data.paths);
      const net = createEnd2YouModel(config.model);
      const saved = await loadModelDir(join(dir, BEST_MODEL_DIR));
      net.setWeights(saved.getWeights());
      saved.dispose();
      try {
        const predictions = predictRecords(net, data.records, config.modalities, { seqLength: config.seqLength });
        const metric: MetricName = o.metric ?? config.metric;
        const scores = scoreRecords(predictions, data.records, metric);
        const out = resolve(o.out);
        await mkdir(out, { recursive: true });
        await writePredictions(join(out, 'predictions.json'), {
          labelNames: config.labelNames,
          files: data.paths.map((file, i) => ({ file, labelFile: data.records[i]!.labelFile, predictions: predictions[i]! })),
        });
        await writeFileAtomic(join(out, 'scores.json'), JSON.stringify(scores, null, 2) + '\n');
        printResult(cmd, scores, (r) => `${formatScores(r)}; predictions in ${join(out, 'predictions.json')}`);
      } finally {
        net.dispose();
      }
    });

  program
    .command('evaluate')
    .description('score a predictions.json against the labels of HDF5 files')
    .requiredOption('--predictions <file>', 'predictions.json from `test`', file)
    .requiredOption('--data <dir>', '.hdf5 files with the labels', folder)
    .addOption(new Option('--metric <name>', 'metric').choices(METRIC_NAMES).default('ccc'))
    .addOption(jsonOption())
    .action(async (o, cmd: Command) => {
      const data = await readRecordDir(resolve(o.data));
      const scores = evaluatePredictions(await readPredictions(resolve(o.predictions)), data.records, data.paths, o.metric as MetricName);
      printResult(cmd, scores, formatScores);
    });

  return program;
}
