/** The `facelab-augment` command line: `fit` a transformation on frame sequences, `generate` augmentations. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFrameSequences } from '../data/frame-folders.js';
import { loadAugmentModel, saveAugmentModel } from '../data/model-dir.js';
import { stackFrames } from '../data/batch.js';
import { evaluateOneStep } from '../eval/one-step.js';
import { createAugmentAutoencoder } from '../model/autoencoder.js';
import { fitPcaAugment } from '../model/pca.js';
import type { AugmentModel } from '../model/types.js';
import { augment } from '../synthesis/augment.js';
import { fitAugment } from '../train/fit.js';

const int = (name: string, min = 1) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got '${v}'`);
  return n;
};

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
}

interface GenerateFlags {
  out: string;
  steps: number;
  interpolate: number;
  samples?: number;
  seed: number;
  json?: boolean;
}

/** Builds the program (tested without a process). `print` receives each output line. */
export function buildProgram(print: (line: string) => void = (l) => console.log(l)): Command {
  const program = new Command('facelab-augment')
    .description('Visual data augmentation through learning (arXiv 1801.06665): fit a pixel ↔ latent transformation with a linear latent model on frame sequences, generate augmentations')
    .exitOverride();

  program
    .command('fit')
    .description('fit a transformation on a video, a folder of frames, or a folder of frame folders and videos')
    .argument('<input>', 'video file or folder')
    .requiredOption('-o, --out <dir>', 'model directory to write')
    .addOption(new Option('--kind <kind>', 'learned autoencoder or the exact PCA baseline').choices(['autoencoder', 'pca']).default('autoencoder'))
    .option('--size <n>', 'resize frames to n × n', int('--size'))
    .option('--grey', 'read one channel')
    .option('--fps <x>', 'resample videos to this frame rate', num('--fps'))
    .option('--latent-dim <n>', 'latent dimension', int('--latent-dim'), 32)
    .option('--steps <n>', 'training steps (autoencoder)', int('--steps'), 2000)
    .option('--batch-size <n>', 'pairs per batch', int('--batch-size'), 16)
    .option('--lr <x>', 'Adam learning rate', num('--lr'), 1e-3)
    .addOption(new Option('--latent-model <mode>', 'train A jointly or refit it by least squares').choices(['joint', 'least-squares']).default('joint'))
    .option('--seed <n>', 'seed', int('--seed', 0), 1)
    .option('--checkpoint-dir <dir>', 'checkpoint every 200 steps into this folder')
    .option('--resume', 'continue from the newest checkpoint in --checkpoint-dir')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the result as JSON')
    .action(async (input: string, f: FitFlags) => {
      if (f.resume && !f.checkpointDir) throw new Error('--resume needs --checkpoint-dir');
      await initBackend();
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
      if (f.json) print(JSON.stringify(result));
      else {
        print(`fitted ${f.kind} on ${errors.pairs} pairs from ${set.frames.length} sequences (${set.imageShape.join('×')}) → ${f.out}`);
        print(`one-step latent error (1 − R²): A ${errors.latent.model.toFixed(4)}, identity ${errors.latent.identity.toFixed(4)}`);
        print(`one-step pixel MSE: D(Az) ${errors.pixel.model.toExponential(3)}, D(z) ${errors.pixel.identity.toExponential(3)}, copy ${errors.pixel.copy.toExponential(3)}`);
      }
    });

  program
    .command('generate')
    .description('write augmentations D(A^k E(x)) of every frame of the input into a folder')
    .argument('<model>', 'model directory written by fit')
    .argument('<input>', 'image folder, folder of folders, or video')
    .requiredOption('-o, --out <dir>', 'folder to write <sequence>/<frame>_k<offset>.png into')
    .option('--steps <k>', 'offsets from −k to k', int('--steps'), 2)
    .option('--interpolate <n>', 'offsets between neighbouring steps', int('--interpolate', 0), 0)
    .option('--samples <n>', 'draw n random non-zero offsets per frame instead of all', int('--samples'))
    .option('--seed <n>', 'seed of the draws', int('--seed', 0), 1)
    .option('--json', 'print the result as JSON')
    .action(async (modelDir: string, input: string, f: GenerateFlags) => {
      await initBackend();
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
        if (f.json) print(JSON.stringify({ out: f.out, images: written }));
        else print(`wrote ${written} images to ${f.out}`);
      } finally {
        model.dispose();
      }
    });
  return program;
}
