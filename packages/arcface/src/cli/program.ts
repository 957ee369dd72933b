/** The `facelab-arcface` command line: `train` and `verify`. */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { Command, InvalidArgumentError, Option } from 'commander';
import { verifyBin, verifyLfw, type VerificationResult } from '../eval/verify.js';
import { MARGIN_PRESETS, type MarginOptions } from '../loss/margin.js';
import { iresnet, IRESNET_SMALL, IRESNET_UNITS, type IresnetOptions } from '../model/iresnet.js';
import { loadOnnxWeights } from '../onnx/load-weights.js';
import { folderFaceSource, recordFaceSource, type FaceSource } from '../train/sources.js';
import { trainArcFace } from '../train/train.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got '${v}'`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got '${v}'`);
  return n;
};
const list = (name: string) => (v: string) => v.split(',').map((x) => int(name)(x.trim()));

interface ArchFlags {
  depth: string;
  units?: number[];
  widths?: number[];
  inputSize?: number;
  embeddingSize?: number;
  inputStd?: number;
}

function addArchOptions(cmd: Command): Command {
  return cmd
    .option('--depth <depth>', `backbone: ${Object.keys(IRESNET_UNITS).join(', ')} or small`, '50')
    .option('--units <list>', 'units per stage, e.g. 1,2,1,1 (overrides --depth)', list('--units'))
    .option('--widths <list>', 'stem and stage channels, e.g. 64,64,128,256,512', list('--widths'))
    .option('--input-size <n>', 'input size in pixels', int('--input-size'))
    .option('--embedding-size <n>', 'embedding dimension', int('--embedding-size'))
    .option('--input-std <x>', 'pixel normalisation (x - 127.5) / std (insightface w600k ONNX: 127.5)', num('--input-std'));
}

function archOf(f: ArchFlags): IresnetOptions {
  const base: IresnetOptions =
    f.depth === 'small' ? IRESNET_SMALL : { depth: Number(f.depth) as IresnetOptions['depth'] };
  const pick = <T>(v: T | undefined, d: T | undefined) => (v === undefined ? d : v);
  return {
    ...base,
    units: pick(f.units, base.units),
    widths: pick(f.widths, base.widths),
    inputSize: pick(f.inputSize, base.inputSize),
    embeddingSize: pick(f.embeddingSize, base.embeddingSize),
    inputStd: f.inputStd,
  };
}

function marginOf(f: { loss: string; s?: number; m1?: number; m2?: number; m3?: number }): MarginOptions {
  const preset = MARGIN_PRESETS[f.loss as keyof typeof MARGIN_PRESETS];
  if (preset === undefined) throw new Error(`--loss must be one of ${Object.keys(MARGIN_PRESETS).join(', ')}, got '${f.loss}'`);
  const m: MarginOptions = { ...preset };
  for (const k of ['s', 'm1', 'm2', 'm3'] as const) if (f[k] !== undefined) m[k] = f[k];
  return m;
}

function printResult(what: string, r: VerificationResult): void {
  console.log(
    `${what}: ${r.pairs} pairs (${r.protocol} protocol), accuracy ${(100 * r.accuracy).toFixed(2)} ± ${(100 * r.std).toFixed(2)} %, ` +
      `TAR@FAR=1e-3 ${(100 * r.tarAtFar1e3).toFixed(2)} %`,
  );
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('facelab-arcface')
    .description('ArcFace face recognition on TensorFlow.js: train IR-ResNets with margin losses, verify, import ONNX')
    .option('--backend <name>', 'tfjs backend (default: best available; or FACELAB_BACKEND)');

  addArchOptions(
    program
      .command('train')
      .description('train a backbone with a margin loss on a folder per identity or an insightface .rec/.idx')
      .requiredOption('--data <path>', 'folder with one subfolder per identity, or train.rec')
      .option('--idx <path>', 'RecordIO index (default: the .rec path with .idx)')
      .option('--loss <name>', `margin preset: ${Object.keys(MARGIN_PRESETS).join(', ')}`, 'arcface')
      .option('--s <x>', 'scale s', num('--s'))
      .option('--m1 <x>', 'multiplicative angular margin', num('--m1'))
      .option('--m2 <x>', 'additive angular margin', num('--m2'))
      .option('--m3 <x>', 'additive cosine margin', num('--m3'))
      .option('--steps <n>', 'optimisation steps', int('--steps'), 1000)
      .option('--batch-size <n>', 'images per step', int('--batch-size'), 128)
      .option('--lr <x>', 'peak learning rate', num('--lr'), 0.1)
      .option('--warmup <n>', 'warm-up steps', int('--warmup'), 0)
      .addOption(
        new Option('--clip-scope <scope>', 'gradient clipping at global norm 5 over the backbone (arcface_torch) or all weights incl. class centres')
          .choices(['backbone', 'all'])
          .default('backbone'),
      )
      .option('--seed <n>', 'seed', int('--seed'), 1)
      .option('--resize', 'resize images to the input size instead of failing')
      .option('--checkpoint-every <n>', 'steps between checkpoints', int('--checkpoint-every'), 500)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .option('--out <dir>', 'output folder (model/, checkpoints/, train.jsonl, curves.png)', 'arcface-run'),
  ).action(async (f) => {
    await initBackend(program.opts().backend);
    const data: FaceSource = String(f.data).endsWith('.rec')
      ? recordFaceSource(f.data, f.idx ?? String(f.data).replace(/\.rec$/, '.idx'), { resize: f.resize })
      : await folderFaceSource(f.data, { resize: f.resize });
    await mkdir(f.out, { recursive: true });
    const backbone = iresnet({ ...archOf(f), seed: f.seed });
    try {
      const { result, net } = await trainArcFace({
        backbone,
        data,
        margin: marginOf(f),
        steps: f.steps,
        batchSize: f.batchSize,
        lr: f.lr,
        warmupSteps: f.warmup,
        clipScope: f.clipScope,
        seed: f.seed,
        checkpoint: { dir: join(f.out, 'checkpoints'), every: f.checkpointEvery },
        resume: f.resume ?? false,
        log: join(f.out, 'train.jsonl'),
        curves: join(f.out, 'curves.png'),
      });
      await backbone.save(fileSystemIO(join(f.out, 'model')));
      const last = result.records[result.records.length - 1];
      console.log(`trained ${result.step} steps (${result.stopReason}), last loss ${last?.loss.toFixed(4) ?? '-'}; model in ${join(f.out, 'model')}`);
      net.dispose();
    } finally {
      data.close?.();
    }
  });

  addArchOptions(
    program
      .command('verify')
      .description('verification accuracy (10-fold ± std, TAR@FAR=1e-3) on an insightface .bin or LFW pairs.txt + folder')
      .option('--model <dir>', 'a model saved by `train` (model.json + weights.bin)')
      .option('--onnx <file>', 'an ONNX IR-ResNet (e.g. insightface w600k_r50.onnx; use --input-std 127.5)')
      .option('--bin <file>', 'insightface verification .bin (lfw.bin, cfp_fp.bin, ...)')
      .option('--pairs <file>', 'LFW pairs.txt')
      .option('--images <dir>', 'image folder of --pairs (default: its folder)')
      .option('--folds <n>', 'folds', int('--folds'), 10)
      .addOption(
        new Option('--protocol <name>', "insightface (fixed grid on squared distances, as papers report) or observed-scores (thresholds at observed cosines)")
          .choices(['insightface', 'observed-scores'])
          .default('insightface'),
      )
      .option('--no-flip', 'do not add the mirrored image embedding')
      .option('--resize', 'resize images to the input size instead of failing'),
  ).action(async (f) => {
    await initBackend(program.opts().backend);
    if ((f.model === undefined) === (f.onnx === undefined)) throw new Error('verify: give exactly one of --model and --onnx');
    if ((f.bin === undefined) === (f.pairs === undefined)) throw new Error('verify: give exactly one of --bin and --pairs');
    let model: tf.LayersModel;
    if (f.model !== undefined) {
      model = await tf.loadLayersModel(fileSystemIO(f.model));
    } else {
      model = iresnet(archOf(f));
      loadOnnxWeights(model, new Uint8Array(await readFile(f.onnx)), f.onnx);
    }
    const options = { flip: f.flip, resize: f.resize, folds: f.folds, protocol: f.protocol };
    try {
      const result = f.bin !== undefined ? await verifyBin(model, f.bin, options) : await verifyLfw(model, f.pairs, f.images, options);
      printResult(f.bin ?? f.pairs, result);
    } finally {
      model.dispose();
    }
  });
  return program;
}
