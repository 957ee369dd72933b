/** The `facelab-densereg` command line: `train`, `evaluate` and `predict`. */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileSystemIO, initBackend, tf, type BackendName } from '@facelab/core-tensor';
import { writePts } from '@facelab/data';
import { writeFileAtomic } from '@facelab/runtime';
import { Command, InvalidArgumentError } from 'commander';
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

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number, got '${v}'`);
  return n;
};
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (v: string) => {
    if (!values.includes(v as T)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}, got '${v}'`);
    return v as T;
  };

async function loadModel(dir: string): Promise<{ model: tf.LayersModel; config: DenseRegConfig }> {
  const path = join(dir, CONFIG_FILE);
  let config: DenseRegConfig;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DenseRegConfig;
  } catch (err) {
    throw new Error(`cannot read '${path}' (a model directory written by 'facelab-densereg train'): ${(err as Error).message}`);
  }
  return { model: await tf.loadLayersModel(fileSystemIO(dir)), config };
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
  const program = new Command('facelab-densereg')
    .description('DenseReg dense U-V face correspondence on TensorFlow.js: train, evaluate, predict')
    .option('--backend <name>', 'tfjs backend (default: best available, or FACELAB_BACKEND)')
    .option('--json', 'print results as JSON');
  const setup = async () => {
    const backend = program.opts<{ backend?: string }>().backend;
    await initBackend(backend as BackendName | undefined);
  };
  const json = () => program.opts<{ json?: boolean }>().json === true;

  program
    .command('train')
    .description('train on a folder of <name>.png + <name>.u.png/.v.png (+ <name>.pts) samples')
    .argument('<folder>', 'training samples, all of one size')
    .requiredOption('--out <dir>', 'model directory to write (model.json, weights.bin, densereg.json)')
    .option('--trunk <trunk>', 'small, resnet50 or resnet101', oneOf('--trunk', ['small', 'resnet50', 'resnet101'] as const), 'small')
    .option('--head <head>', 'quantized or direct (the ablation)', oneOf('--head', ['quantized', 'direct'] as const), 'quantized')
    .option('--bins <k>', 'bins per axis', int('--bins'), 10)
    .option('--lambda <x>', 'regression weight', num('--lambda'), 1)
    .option('--steps <n>', 'training steps', int('--steps'), 1000)
    .option('--batch-size <n>', 'samples per batch', int('--batch-size'), 4)
    .option('--lr <x>', 'Adam learning rate', num('--lr'), 1e-3)
    .option('--seed <n>', 'seed of weights and batches', int('--seed'), 1)
    .option('--checkpoint-every <n>', 'checkpoint every n steps into <out>/checkpoints', int('--checkpoint-every'))
    .option('--resume', 'continue from the newest checkpoint')
    .option('--no-progress', 'no progress bar')
    .action(
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
        }
      ) => {
        await setup();
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
          progress: f.progress && !json(),
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
        const summary = { steps: result.step, loss: last?.loss ?? null, out: f.out };
        console.log(
          json() ? JSON.stringify(summary) : `trained ${summary.steps} steps, last loss ${summary.loss?.toFixed(4)}; model in ${f.out}`
        );
        model.dispose();
      }
    );

  program
    .command('evaluate')
    .description('U-V error, foreground IoU and landmark NME on a folder of samples')
    .argument('<model>', 'model directory from train')
    .argument('<folder>', 'samples with U-V maps and/or .pts landmarks')
    .option('--csv <path>', 'per-image CSV')
    .action(async (dir: string, folder: string, f: { csv?: string }) => {
      await setup();
      const { model, config } = await loadModel(dir);
      const samples = await readDenseRegFolder(folder);
      const template = config.template ? Float32Array.from(config.template) : undefined;
      const r = await evaluateDenseReg(model, samples, { head: config.head, bins: config.bins, template, csv: f.csv });
      const summary = { images: r.images.length, uvError: r.uvError, iou: r.iou, nme: r.nme };
      console.log(
        json()
          ? JSON.stringify(summary)
          : `${summary.images} images: U-V error ${r.uvError.toFixed(4)}, foreground IoU ${r.iou.toFixed(4)}, NME ${r.nme.toFixed(4)}`
      );
      model.dispose();
    });

  program
    .command('predict')
    .description('write U and V maps (16-bit PNG) and landmarks (.pts) for images')
    .argument('<model>', 'model directory from train')
    .argument('<inputs...>', 'image files or folders of .png images')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (dir: string, inputs: string[], f: { out: string }) => {
      await setup();
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
        if (!json()) console.error(`predicted ${i + 1}/${samples.length}: ${name}`);
      }
      console.log(json() ? JSON.stringify({ images: samples.length, files: written }) : `wrote ${written.length} files to ${f.out}`);
      model.dispose();
    });
  return program;
}
