/** The `facelab-rocgan` command line: `train`, `evaluate` and `predict`. */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { decodeImage, writeImage } from '@facelab/data';
import { Command, InvalidArgumentError } from 'commander';
import { toModelRange, toPixels, type CorruptionOptions, type RocGanTask } from '../data/corruptions.js';
import { imageFolderSource } from '../data/source.js';
import { evaluateRocGan } from '../eval/evaluate.js';
import { predictRocGan } from '../eval/predict.js';
import type { ProjectionSide } from '../loss/rocgan.js';
import { createRocGan, disposeRocGan, type RocGanVariant } from '../model/rocgan.js';
import { fitRocGan } from '../train/fit.js';
import { loadRocGan } from '../train/load.js';

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
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (v: string) => {
    if (!values.includes(v as T)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}, got '${v}'`);
    return v as T;
  };

function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--im2im', 'each image is an im2im pair (input stacked above target)')
    .option(
      '--task <task>',
      'corruption of clean images: sparse, denoise or superres',
      oneOf('--task', ['sparse', 'denoise', 'superres'] as const),
      'sparse',
    )
    .option('--drop-rate <x>', 'fraction of pixels (sparse) or values (denoise) set to 0', num('--drop-rate'), 0.5)
    .option('--noise-std <x>', 'additive Gaussian noise std in pixel units (denoise)', num('--noise-std'), 0);
}

function corruptionOf(f: { im2im?: boolean; task: RocGanTask; dropRate: number; noiseStd: number }): CorruptionOptions {
  return { task: f.im2im ? 'im2im' : f.task, dropRate: f.dropRate, noiseStd: f.noiseStd };
}

/** Prints a summary as JSON (`--json`) or as the given text. */
function report(json: boolean | undefined, summary: unknown, text: string): void {
  console.log(json ? JSON.stringify(summary) : text);
}

const fmt = (m: number, s: number, d: number) => `${m.toFixed(d)} ± ${s.toFixed(d)}`;

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('facelab-rocgan')
    .description('RoCGAN and its cGAN baseline on TensorFlow.js: train, evaluate (SSIM / MAE / PSNR) and restore images')
    .option('--backend <name>', 'tfjs backend (default: best available; or FACELAB_BACKEND)');

  addDataOptions(
    program
      .command('train')
      .description('train a RoCGAN (or the cGAN baseline) on a folder of clean images or im2im pairs')
      .requiredOption('--data <dir>', 'folder of training images (PNG/JPEG, all image-size × image-size RGB)')
      .option('--variant <name>', 'rocgan or cgan', oneOf('--variant', ['rocgan', 'cgan'] as const), 'rocgan')
      .option('--image-size <n>', 'image side (4·2^(layers−1))', int('--image-size'), 64)
      .option('--channels <list>', 'encoder channels per layer', list('--channels'), [64, 64, 128, 256, 512])
      .option('--dis-channels <list>', 'discriminator conv channels (3)', list('--dis-channels'), [64, 64, 64])
      .option('--skips', 'encoder → decoder skip connections (with noise σ 0.1 while training)')
      .option('--latent-weight <x>', 'λ_l (20 for inpainting, 1 for super-resolution)', num('--latent-weight'), 20)
      .option(
        '--projection-on <side>',
        'feature-matching term in the generator (paper) or discriminator (reference code) loss',
        oneOf('--projection-on', ['generator', 'discriminator'] as const),
        'generator',
      )
      .option('--steps <n>', 'iterations (one D and one G step each)', int('--steps'), 1000)
      .option('--batch-size <n>', 'images per batch', int('--batch-size'), 64)
      .option('--lr <x>', 'Adam learning rate', num('--lr'), 2e-4)
      .option('--seed <n>', 'seed', int('--seed'), 1)
      .option('--checkpoint-every <n>', 'iterations between checkpoints', int('--checkpoint-every'), 500)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .option('--no-progress', 'no progress bar')
      .option('--json', 'print the summary as JSON')
      .option('--out <dir>', 'output folder (checkpoints/, train.jsonl, curves.png)', 'rocgan-run'),
  ).action(async (f) => {
    await initBackend(program.opts().backend);
    const data = await imageFolderSource(f.data, { imageSize: f.imageSize, im2im: f.im2im });
    const net = createRocGan({
      variant: f.variant as RocGanVariant,
      imageSize: f.imageSize,
      channels: f.channels,
      discriminatorChannels: f.disChannels,
      skips: f.skips ?? false,
      seed: f.seed,
    });
    try {
      await mkdir(f.out, { recursive: true });
      const checkpointDir = join(f.out, 'checkpoints');
      const { result } = await fitRocGan({
        net,
        data,
        corruption: corruptionOf(f),
        loss: { latent: f.latentWeight, projectionOn: f.projectionOn as ProjectionSide },
        steps: f.steps,
        batchSize: f.batchSize,
        lr: f.lr,
        seed: f.seed,
        checkpoint: { dir: checkpointDir, every: f.checkpointEvery },
        resume: f.resume ?? false,
        log: join(f.out, 'train.jsonl'),
        curves: join(f.out, 'curves.png'),
        progress: f.progress,
      });
      const last = result.records.at(-1);
      report(
        f.json,
        {
          variant: net.variant,
          steps: result.step,
          stopReason: result.stopReason,
          loss: last?.loss,
          metrics: last?.metrics,
          checkpoints: checkpointDir,
        },
        `trained ${net.variant} for ${result.step} iterations (${result.stopReason}), last G loss ${
          last?.loss.toFixed(4) ?? '-'
        }; checkpoints in ${checkpointDir}`,
      );
    } finally {
      disposeRocGan(net);
    }
  });

  addDataOptions(
    program
      .command('evaluate')
      .description('restore every image of a folder (corrupted with a fixed seed, or im2im inputs) and score it: SSIM, MAE, PSNR')
      .requiredOption('--model <dir>', "a training run's checkpoints folder (<out>/checkpoints)")
      .requiredOption('--data <dir>', 'folder of test images')
      .option('--seed <n>', 'seed of the test corruptions', int('--seed'), 0)
      .option('--limit <n>', 'only the first n images', int('--limit'))
      .option('--no-ema', 'use the trained generator instead of its EMA')
      .option('--csv <file>', 'write per-image scores here')
      .option('--json', 'print the summary as JSON'),
  ).action(async (f) => {
    await initBackend(program.opts().backend);
    const { net, path } = await loadRocGan(f.model);
    try {
      const data = await imageFolderSource(f.data, { imageSize: net.architecture.imageSize, im2im: f.im2im });
      const r = await evaluateRocGan(net, data, { corruption: corruptionOf(f), seed: f.seed, limit: f.limit, ema: f.ema, csv: f.csv });
      report(
        f.json,
        { model: path, images: r.rows.length, mean: r.mean, std: r.std, ...(f.csv ? { csv: f.csv } : {}) },
        `${r.rows.length} images (${basename(path)}): SSIM ${fmt(r.mean.ssim, r.std.ssim, 4)}, MAE ${fmt(
          r.mean.mae,
          r.std.mae,
          2,
        )}, PSNR ${fmt(r.mean.psnr, r.std.psnr, 2)} dB`,
      );
    } finally {
      disposeRocGan(net);
    }
  });

  program
    .command('predict')
    .description('restore corrupted images (a file or a folder, used as they are) and write PNGs')
    .requiredOption('--model <dir>', "a training run's checkpoints folder")
    .requiredOption('--input <path>', 'an image or a folder of images (image-size × image-size RGB)')
    .option('--out <dir>', 'output folder', 'rocgan-predictions')
    .option('--no-ema', 'use the trained generator instead of its EMA')
    .option('--json', 'print the written files as JSON')
    .action(async (f) => {
      await initBackend(program.opts().backend);
      const { net } = await loadRocGan(f.model);
      try {
        const files = (await stat(f.input)).isDirectory()
          ? (await readdir(f.input))
              .filter((n) => ['.png', '.jpg', '.jpeg'].includes(extname(n).toLowerCase()))
              .sort()
              .map((n) => join(f.input, n))
          : [f.input];
        if (files.length === 0) throw new Error(`'${f.input}' has no .png/.jpg/.jpeg images`);
        await mkdir(f.out, { recursive: true });
        const s = net.architecture.imageSize;
        const written: string[] = [];
        for (const file of files) {
          const raw = await decodeImage(file);
          if (raw.channels !== 3 || raw.width !== s || raw.height !== s) {
            throw new Error(`${file}: expected a ${s}×${s} RGB image, got ${raw.width}×${raw.height} with ${raw.channels} channels`);
          }
          const x = tf.tensor4d(toModelRange(Float32Array.from(raw.data)), [1, s, s, 3]);
          const y = predictRocGan(net, x, { ema: f.ema });
          const pixels = toPixels(y.dataSync());
          tf.dispose([x, y]);
          const out = join(f.out, `${basename(file, extname(file))}.png`);
          await writeImage(out, { data: pixels, width: s, height: s, channels: 3 });
          written.push(out);
        }
        report(f.json, { written }, `wrote ${written.length} image(s) to ${f.out}`);
      } finally {
        disposeRocGan(net);
      }
    });
  return program;
}
