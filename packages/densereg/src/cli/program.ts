/** The `facelab-densereg` command line: `train`, `evaluate` and `predict`. */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { BACKEND_ORDER, fileSystemIO, initBackend, loadModelDir, tf, type BackendName } from '@facelab/core-tensor';
import { writePts } from '@facelab/data';
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
  writeFileAtomic,
  type Command,
} from '@facelab/runtime';
import { readDenseRegFolder, readDenseRegSample } from '../data/folder.js';
import type { DenseRegSample } from '../data/sample.js';
import { writeUVPng } from '../data/uv-png.js';
import { predictUV } from '../eval/decode.js';
import { evaluateDenseReg } from '../eval/evaluate.js';
import { estimateLandmarkTemplate, landmarksFromUV } from '../eval/landmarks.js';
import { createDenseRegNet, type DenseRegHead, type DenseRegTrunk } from '../model/densereg-net.js';
import { fitDenseReg } from '../train/fit.js';

/** What a model directory stores beside model.json: how to decode, and the landmark template. */
interface DenseRegConfig {
  head: DenseRegHead;
  bins: number;
  template?: number[];
}
const CONFIG_FILE = 'densereg.json';

async function loadModel(dir: string): Promise<{ model: tf.LayersModel; config: DenseRegConfig }> {
  const path = join(dir, CONFIG_FILE);
  let config: DenseRegConfig;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DenseRegConfig;
  } catch (err) {
    throw new UsageError(`cannot read '${path}' (a model directory written by 'facelab-densereg train'): ${(err as Error).message}`, { cause: err });
  }
  return { model: await loadModelDir(dir), config };
}

/** Images to predict: a folder's .png (not U-V maps) or the files given. */
async function inputsOf(paths: string[]): Promise<DenseRegSample[]> {
  const out: DenseRegSample[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) out.push(...(await readDenseRegFolder(p)));
    else out.push(await readDenseRegSample(dirname(p), basename(p, extname(p))));
  }
  return out;
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-densereg',
    description: 'DenseReg dense U-V face correspondence on TensorFlow.js: train, evaluate, predict',
    moduleUrl: import.meta.url,
  });
  /** What every command takes: the backend and --json. */
  const common = (cmd: Command) => cmd.addOption(backendOption(BACKEND_ORDER)).addOption(jsonOption());
  const folder = parsePath('directory');

  common(
    program
      .command('train')
      .description('train on a folder of <name>.png + <name>.u.png/.v.png (+ <name>.pts) samples')
      .argument('<folder>', 'training samples, all of one size', folder)
      .addOption(outOption('model directory to write (model.json, weights.bin, densereg.json)'))
      .addOption(new Option('--trunk <trunk>', 'trunk network').choices(['small', 'resnet50', 'resnet101']).default('small'))
      .addOption(new Option('--head <head>', 'quantized, or direct (the ablation)').choices(['quantized', 'direct']).default('quantized'))
      .option('--bins <k>', 'bins per axis', parseInteger(1), 10)
      .option('--lambda <x>', 'regression weight', parseNumber(0), 1)
      .addOption(stepsOption(1000))
      .addOption(batchSizeOption(4, 'samples per batch'))
      .option('--lr <x>', 'Adam learning rate', parseNumber(0), 1e-3)
      .addOption(seedOption(1, 'seed of weights and batches'))
      .option('--checkpoint-every <n>', 'checkpoint every n steps into <out>/checkpoints', parseInteger(1))
      .option('--resume', 'continue from the newest checkpoint')
      .option('--no-progress', 'no progress bar'),
  ).action(
      async (
        folder: string,
        f: {
          out: string;
          trunk: DenseRegTrunk;
          head: DenseRegHead;
          bins: number;
          lambda: number;
          steps: number;
          batchSize: number;
          lr: number;
          seed: number;
          checkpointEvery?: number;
          resume?: boolean;
          progress: boolean;
          backend?: BackendName;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await initBackend(f.backend);
        const samples = await readDenseRegFolder(folder);
        const model = createDenseRegNet({ trunk: f.trunk, head: f.head, bins: f.bins, seed: f.seed });
        const every = f.checkpointEvery;
        const result = await fitDenseReg({
          model,
          samples,
          head: f.head,
          bins: f.bins,
          lambda: f.lambda,
          steps: f.steps,
          batchSize: f.batchSize,
          learningRate: f.lr,
          seed: f.seed,
          checkpoint: every ? { dir: join(f.out, 'checkpoints'), every } : undefined,
          resume: f.resume,
          log: join(f.out, 'train.jsonl'),
          curves: join(f.out, 'curves.png'),
          progress: f.progress && !f.json,
        });
        await mkdir(f.out, { recursive: true });
        await model.save(fileSystemIO(f.out));
        const withLandmarks = samples.filter((s) => s.landmarks);
        const config: DenseRegConfig = {
          head: f.head,
          bins: f.bins,
          ...(withLandmarks.length > 0 ? { template: Array.from(estimateLandmarkTemplate(withLandmarks)) } : {}),
        };
        await writeFileAtomic(join(f.out, CONFIG_FILE), JSON.stringify(config));
        const last = result.records.at(-1);
        model.dispose();
        printResult(cmd, { steps: result.step, loss: last?.loss ?? null, out: f.out }, (r) => `trained ${r.steps} steps, last loss ${r.loss?.toFixed(4)}; model in ${r.out}`);
      },
    );

  common(
    program
      .command('evaluate')
      .description('U-V error, foreground IoU and landmark NME on a folder of samples')
      .argument('<model>', 'model directory from train', folder)
      .argument('<folder>', 'samples with U-V maps and/or .pts landmarks', folder)
      .option('--csv <path>', 'per-image CSV'),
  ).action(async (dir: string, samplesDir: string, f: { csv?: string; backend?: BackendName }, cmd: Command) => {
      await initBackend(f.backend);
      const { model, config } = await loadModel(dir);
      const samples = await readDenseRegFolder(samplesDir);
      const template = config.template ? Float32Array.from(config.template) : undefined;
      const r = await evaluateDenseReg(model, samples, { head: config.head, bins: config.bins, template, csv: f.csv });
      model.dispose();
      printResult(
        cmd,
        { images: r.images.length, uvError: r.uvError, iou: r.iou, nme: r.nme },
        (x) => `${x.images} images: U-V error ${x.uvError.toFixed(4)}, foreground IoU ${x.iou.toFixed(4)}, NME ${x.nme.toFixed(4)}`,
      );
    });

  common(
    program
      .command('predict')
      .description('write U and V maps (16-bit PNG) and landmarks (.pts) for images')
      .argument('<model>', 'model directory from train', folder)
      .argument('<inputs...>', 'image files or folders of .png images')
      .addOption(outOption('output folder')),
  ).action(async (dir: string, inputs: string[], f: { out: string; backend?: BackendName; json?: boolean }, cmd: Command) => {
      await initBackend(f.backend);
      const { model, config } = await loadModel(dir);
      const samples = await inputsOf(inputs);
      const maps = predictUV(model, samples, { head: config.head, bins: config.bins });
      await mkdir(f.out, { recursive: true });
      const written: string[] = [];
      for (const [i, s] of samples.entries()) {
        const name = s.name ?? String(i);
        const m = maps[i]!;
        await writeUVPng(join(f.out, `${name}.u.png`), m.u, m.width, m.height);
        await writeUVPng(join(f.out, `${name}.v.png`), m.v, m.width, m.height);
        written.push(`${name}.u.png`, `${name}.v.png`);
        if (config.template) {
          const lm = landmarksFromUV(m, Float32Array.from(config.template));
          if (lm.every(Number.isFinite)) {
            await writePts(
              join(f.out, `${name}.pts`),
              Array.from({ length: 68 }, (_, k) => [lm[2 * k]! + 1, lm[2 * k + 1]! + 1] as const)
            );
            written.push(`${name}.pts`);
          }
        }
        if (!f.json) process.stderr.write(`predicted ${i + 1}/${samples.length}: ${name}\n`);
      }
      model.dispose();
      printResult(cmd, { images: samples.length, files: written }, (r) => `wrote ${r.files.length} files to ${f.out}`);
    });
  return program;
}
