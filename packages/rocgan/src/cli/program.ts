/** The `facelab-rocgan` command line: `train`, `evaluate` and `predict`. */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { BACKEND_ORDER, initBackend, tf } from '@facelab/core-tensor';
import { decodeImage, writeImage } from '@facelab/data';
import {
  Option,
  UsageError,
  backendOption,
  batchSizeOption,
  createProgram,
  jsonOption,
  outOption,
  parseInteger,
  parseIntegerList,
  parseNumber,
  parsePath,
  printResult,
  seedOption,
  stepsOption,
  type Command,
} from '@facelab/runtime';
import { toModelRange, toPixels, type CorruptionOptions, type RocGanTask } from '../data/corruptions.js';
import { imageFolderSource } from '../data/source.js';
import { evaluateRocGan } from '../eval/evaluate.js';
import { predictRocGan } from '../eval/predict.js';
import type { ProjectionSide } from '../loss/rocgan.js';
import { createRocGan, disposeRocGan, type RocGanVariant } from '../model/rocgan.js';
import { fitRocGan } from '../train/fit.js';
import { loadRocGan } from '../train/load.js';

function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--im2im', 'each image is an im2im pair (input stacked above target)')
    .addOption(new Option('--task <task>', 'corruption of clean images').choices(['sparse', 'denoise', 'superres']).default('sparse'))
    .option('--drop-rate <x>', 'fraction of pixels (sparse) or values (denoise) set to 0', parseNumber(0), 0.5)
    .option('--noise-std <x>', 'additive Gaussian noise std in pixel units (denoise)', parseNumber(0), 0)
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption());
}

function corruptionOf(f: { im2im?: boolean; task: RocGanTask; dropRate: number; noiseStd: number }): CorruptionOptions {
  return { task: f.im2im ? 'im2im' : f.task, dropRate: f.dropRate, noiseStd: f.noiseStd };
}

const fmt = (m: number, s: number, d: number) => `${m.toFixed(d)} ± ${s.toFixed(d)}`;

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-rocgan',
    description: 'RoCGAN and its cGAN baseline on TensorFlow.js: train, evaluate (SSIM / MAE / PSNR) and restore images',
    moduleUrl: import.meta.url,
  });
  const folder = parsePath('directory');

  addDataOptions(
    program
      .command('train')
      .description('train a RoCGAN (or the cGAN baseline) on a folder of clean images or im2im pairs')
      .requiredOption('--data <dir>', 'folder of training images (PNG/JPEG, all image-size × image-size RGB)', folder)
      .addOption(new Option('--variant <name>', 'RoCGAN or the cGAN baseline').choices(['rocgan', 'cgan']).default('rocgan'))
      .option('--image-size <n>', 'image side (4·2^(layers−1))', parseInteger(4), 64)
      .option('--channels <list>', 'encoder channels per layer', parseIntegerList(1), [64, 64, 128, 256, 512])
      .option('--dis-channels <list>', 'discriminator conv channels (3)', parseIntegerList(1), [64, 64, 64])
      .option('--skips', 'encoder → decoder skip connections (with noise σ 0.1 while training)')
      .option('--latent-weight <x>', 'λ_l (20 for inpainting, 1 for super-resolution)', parseNumber(0), 20)
      .addOption(
        new Option('--projection-on <side>', 'feature-matching term in the generator (paper) or discriminator (reference code) loss')
          .choices(['generator', 'discriminator'])
          .default('generator'),
      )
      .addOption(stepsOption(1000, 'iterations (one D and one G step each)'))
      .addOption(batchSizeOption(64, 'images per batch'))
      .option('--lr <x>', 'Adam learning rate', parseNumber(0), 2e-4)
      .addOption(seedOption(1))
      .option('--checkpoint-every <n>', 'iterations between checkpoints', parseInteger(1), 500)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .option('--no-progress', 'no progress bar')
      .addOption(outOption('output folder (checkpoints/, train.jsonl, curves.png)', 'rocgan-run')),
  ).action(async (f, cmd: Command) => {
    await initBackend(f.backend);
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
      printResult(
        cmd,
        { variant: net.variant, steps: result.step, stopReason: result.stopReason, loss: last?.loss, metrics: last?.metrics, checkpoints: checkpointDir },
        (r) => `trained ${r.variant} for ${r.steps} iterations (${r.stopReason}), last G loss ${r.loss?.toFixed(4) ?? '-'}; checkpoints in ${r.checkpoints}`,
      );
    } finally {
      disposeRocGan(net);
    }
  });

  addDataOptions(
    program
      .command('evaluate')
      .description('restore every image of a folder (corrupted with a fixed seed, or im2im inputs) and score it: SSIM, MAE, PSNR')
      .requiredOption('--model <dir>', "a training run's checkpoints folder (<out>/checkpoints)", folder)
      .requiredOption('--data <dir>', 'folder of test images', folder)
      .addOption(seedOption(0, 'seed of the test corruptions'))
      .option('--limit <n>', 'only the first n images', parseInteger(1))
      .option('--no-ema', 'use the trained generator instead of its EMA')
      .option('--csv <file>', 'write per-image scores here'),
  ).action(async (f, cmd: Command) => {
    await initBackend(f.backend);
    const { net, path } = await loadRocGan(f.model);
    try {
      const data = await imageFolderSource(f.data, { imageSize: net.architecture.imageSize, im2im: f.im2im });
      const r = await evaluateRocGan(net, data, { corruption: corruptionOf(f), seed: f.seed, limit: f.limit, ema: f.ema, csv: f.csv });
      printResult(
        cmd,
        { model: path, images: r.rows.length, mean: r.mean, std: r.std, ...(f.csv ? { csv: f.csv } : {}) },
        (s) =>
          `${s.images} images (${basename(s.model)}): SSIM ${fmt(s.mean.ssim, s.std.ssim, 4)}, MAE ${fmt(s.mean.mae, s.std.mae, 2)}, ` +
          `PSNR ${fmt(s.mean.psnr, s.std.psnr, 2)} dB`,
      );
    } finally {
      disposeRocGan(net);
    }
  });

  program
    .command('predict')
    .description('restore corrupted images (a file or a folder, used as they are) and write PNGs')
    .requiredOption('--model <dir>', "a training run's checkpoints folder", folder)
    .requiredOption('--input <path>', 'an image or a folder of images (image-size × image-size RGB)', parsePath())
    .addOption(outOption('output folder', 'rocgan-predictions'))
    .option('--no-ema', 'use the trained generator instead of its EMA')
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (f, cmd: Command) => {
      await initBackend(f.backend);
      const { net } = await loadRocGan(f.model);
      try {
        const files = (await stat(f.input)).isDirectory()
          ? (await readdir(f.input))
              .filter((n) => ['.png', '.jpg', '.jpeg'].includes(extname(n).toLowerCase()))
              .sort()
              .map((n) => join(f.input, n))
          : [f.input];
        if (files.length === 0) throw new UsageError(`--input ${f.input}: no .png/.jpg/.jpeg images`);
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
        printResult(cmd, { written }, (r) => `wrote ${r.written.length} image(s) to ${f.out}`);
      } finally {
        disposeRocGan(net);
      }
    });
  return program;
}
