/** The `facelab-augment` command line: `fit` a transformation on frame sequences, `generate` augmentations. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKEND_ORDER, initBackend, tf, type BackendName } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
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
  type Command,
} from '@facelab/runtime';
import { readFrameSequences } from '../data/frame-folders.js';
import { loadAugmentModel, saveAugmentModel } from '../data/model-dir.js';
import { stackFrames } from '../data/batch.js';
import { evaluateOneStep } from '../eval/one-step.js';
import { createAugmentAutoencoder } from '../model/autoencoder.js';
import { fitPcaAugment } from '../model/pca.js';
import type { AugmentModel } from '../model/types.js';
import { augment } from '../synthesis/augment.js';
import { fitAugment } from '../train/fit.js';

interface FitFlags {
  out: string;
  kind: 'autoencoder' | 'pca';
  size?: number;
  grey?: boolean;
  fps?: number;
  latentDim: number;
  steps: number;
  batchSize: number;
  lr: number;
  latentModel: 'joint' | 'least-squares';
  seed: number;
  checkpointDir?: string;
  resume?: boolean;
  json?: boolean;
  progress: boolean;
  backend?: BackendName;
}

interface GenerateFlags {
  out: string;
  steps: number;
  interpolate: number;
  samples?: number;
  seed: number;
  backend?: BackendName;
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-augment',
    description:
      'Visual data augmentation through learning (arXiv 1801.06665): fit a pixel ↔ latent transformation with a linear latent model on frame sequences, generate augmentations',
    moduleUrl: import.meta.url,
  });

  program
    .command('fit')
    .description('fit a transformation on a video, a folder of frames, or a folder of frame folders and videos')
    .argument('<input>', 'video file or folder', parsePath())
    .addOption(outOption('model directory to write'))
    .addOption(new Option('--kind <kind>', 'learned autoencoder or the exact PCA baseline').choices(['autoencoder', 'pca']).default('autoencoder'))
    .option('--size <n>', 'resize frames to n × n', parseInteger(1))
    .option('--grey', 'read one channel')
    .option('--fps <x>', 'resample videos to this frame rate', parseNumber(0))
    .option('--latent-dim <n>', 'latent dimension', parseInteger(1), 32)
    .addOption(stepsOption(2000, 'training steps (autoencoder)'))
    .addOption(batchSizeOption(16, 'pairs per batch'))
    .option('--lr <x>', 'Adam learning rate', parseNumber(0), 1e-3)
    .addOption(new Option('--latent-model <mode>', 'train A jointly or refit it by least squares').choices(['joint', 'least-squares']).default('joint'))
    .addOption(seedOption(1))
    .option('--checkpoint-dir <dir>', 'checkpoint every 200 steps into this folder')
    .option('--resume', 'continue from the newest checkpoint in --checkpoint-dir')
    .option('--no-progress', 'no progress bar')
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (input: string, f: FitFlags, cmd: Command) => {
      if (f.resume && !f.checkpointDir) throw new UsageError('--resume needs --checkpoint-dir');
      await initBackend(f.backend);
      const set = await readFrameSequences(input, { size: f.size, channels: f.grey ? 1 : 3, fps: f.fps });
      let model: AugmentModel;
      if (f.kind === 'pca') model = fitPcaAugment(set, { latentDim: f.latentDim });
      else {
        const net = createAugmentAutoencoder({ imageShape: set.imageShape, latentDim: f.latentDim, seed: f.seed });
        await fitAugment(net, set, {
          steps: f.steps,
          batchSize: f.batchSize,
          learningRate: f.lr,
          latentModel: f.latentModel,
          seed: f.seed,
          checkpoint: f.checkpointDir ? { dir: f.checkpointDir, every: 200 } : undefined,
          resume: f.resume,
          progress: f.progress && !f.json,
        });
        model = net;
      }
      const errors = evaluateOneStep(model, set);
      await saveAugmentModel(model, f.out);
      model.dispose();
      const result = { model: f.out, kind: f.kind, sequences: set.frames.length, pairs: errors.pairs, imageShape: set.imageShape, trainingErrors: errors };
      printResult(cmd, result, (r) =>
        [
          `fitted ${r.kind} on ${r.pairs} pairs from ${r.sequences} sequences (${r.imageShape.join('×')}) → ${r.model}`,
          `one-step latent error (1 − R²): A ${errors.latent.model.toFixed(4)}, identity ${errors.latent.identity.toFixed(4)}`,
          `one-step pixel MSE: D(Az) ${errors.pixel.model.toExponential(3)}, D(z) ${errors.pixel.identity.toExponential(3)}, copy ${errors.pixel.copy.toExponential(3)}`,
        ].join('\n'),
      );
    });

  program
    .command('generate')
    .description('write augmentations D(A^k E(x)) of every frame of the input into a folder')
    .argument('<model>', 'model directory written by fit', parsePath('directory'))
    .argument('<input>', 'image folder, folder of folders, or video', parsePath())
    .addOption(outOption('folder to write <sequence>/<frame>_k<offset>.png into'))
    .option('--steps <k>', 'offsets from −k to k (steps of the latent model, as augment()\'s steps)', parseInteger(1), 2)
    .option('--interpolate <n>', 'offsets between neighbouring steps', parseInteger(0), 0)
    .option('--samples <n>', 'draw n random non-zero offsets per frame instead of all', parseInteger(1))
    .addOption(seedOption(1, 'seed of the draws'))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (modelDir: string, input: string, f: GenerateFlags, cmd: Command) => {
      await initBackend(f.backend);
      const model = await loadAugmentModel(modelDir);
      try {
        const [h, w, c] = model.imageShape;
        // Square models resize the input frames; other inputs must come at the model's size.
        const set = await readFrameSequences(input, { size: h === w ? h : undefined, channels: c === 1 ? 1 : 3, minFrames: 1 });
        let written = 0;
        for (const [s, frames] of set.frames.entries()) {
          await mkdir(join(f.out, set.names[s]!), { recursive: true });
          for (const [t, frame] of frames.entries()) {
            const x = stackFrames([frame], set.imageShape);
            const out = augment(model, x, { steps: f.steps, interpolate: f.interpolate, samples: f.samples, seed: f.seed + written });
            x.dispose();
            const images = tf.tidy(() => tf.unstack(out.images.squeeze([0]).mul(255).round().clipByValue(0, 255).toInt()) as tf.Tensor3D[]);
            out.images.dispose();
            for (const [j, img] of images.entries()) {
              const name = `${String(t).padStart(5, '0')}_k${out.offsets[0]![j]! >= 0 ? '+' : ''}${out.offsets[0]![j]!.toFixed(2)}.png`;
              await writeImage(join(f.out, set.names[s]!, name), img);
            }
            tf.dispose(images);
            written += images.length;
          }
        }
        printResult(cmd, { out: f.out, images: written }, (r) => `wrote ${r.images} images to ${r.out}`);
      } finally {
        model.dispose();
      }
    });
  return program;
}
