/**
 * augment's part of the root `npm start`: learn the transformation (conv autoencoder + linear latent model)
 * from consecutive frames of synthetic face clips, compare its one-step prediction with the identity and PCA
 * baselines on held-out clips, then train an identity classifier on two frames per person with no, affine and
 * learned augmentation at an equal budget and score it on the persons' other frames. Figure: a strip of
 * augmentations (k = −2…+2) above the true neighbouring frames.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { imageGrid, writeImage } from '@facelab/data';
import {
  augment,
  createAugmentAutoencoder,
  evaluateDownstream,
  evaluateOneStep,
  fitAugment,
  fitPcaAugment,
  stackFrames,
  type AugmentModel,
  type DownstreamAugmentation,
  type FitAugmentOptions,
} from '@facelab/augment';
import { clipSequences, identitySplit, type TurningClipOptions } from './clips.js';

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** The demo's configuration (the quick run of `npm start`). */
export const AUGMENT_DEMO_CONFIG = {
  clips: { frames: 9, size: 32, yawStep: 0.08, valenceStep: 0.15 } satisfies TurningClipOptions,
  /** Clips the transformation learns from, and held-out clips of other persons for the one-step errors. */
  trainClips: range(1000, 32),
  testClips: range(2000, 8),
  net: { latentDim: 32, filters: [16, 32, 32] },
  fit: { steps: 300, batchSize: 16, learningRate: 2e-3, seed: 1 } satisfies FitAugmentOptions,
  pcaDim: 32,
  /** Downstream: persons, and the frames of their training clip the classifier sees (their test clip is another). */
  persons: range(3000, 12),
  trainFrames: [4],
  downstream: { steps: 100, batchSize: 8, learningRate: 1e-3, probability: 0.5, augmentSteps: 3, seeds: [1, 2] },
};

/** The full-length configuration (`demo({ outDir, full: true })`). */
export const AUGMENT_DEMO_FULL_CONFIG: typeof AUGMENT_DEMO_CONFIG = {
  ...AUGMENT_DEMO_CONFIG,
  trainClips: range(1000, 128),
  testClips: range(2000, 32),
  fit: { ...AUGMENT_DEMO_CONFIG.fit, steps: 3000 },
  persons: range(3000, 24),
  downstream: { ...AUGMENT_DEMO_CONFIG.downstream, steps: 500, batchSize: 16, seeds: [1, 2, 3, 4, 5] },
};

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

/** Input, D(A^k E(x)) for k = −2…+2, above the true frames t − 2…t + 2, for the middle frame of three held-out clips. */
async function strip(model: AugmentModel, frames: readonly (readonly Float32Array[])[], shape: readonly [number, number, number], path: string) {
  const tiles = tf.tidy(() => {
    const rows: tf.Tensor3D[] = [];
    for (const clip of frames) {
      const t = Math.floor(clip.length / 2);
      const x = stackFrames([clip[t]!], shape);
      const out = augment(model, x, { steps: 2 });
      const generated = tf.unstack(out.images.squeeze([0])) as tf.Tensor3D[];
      const truth = tf.unstack(stackFrames(clip.slice(t - 2, t + 3), shape)) as tf.Tensor3D[];
      rows.push(tf.unstack(x)[0] as tf.Tensor3D, ...generated, tf.zerosLike(truth[0]!), ...truth);
    }
    return imageGrid(rows, { cols: 6 }).mul(255).round().clipByValue(0, 255).toInt() as tf.Tensor3D;
  });
  await writeImage(path, tiles);
  tiles.dispose();
}

/** Runs the demo (quick, `full`, or a given configuration), writing its figures to `outDir`. */
export async function demo({ outDir, full = false, config }: { outDir: string; full?: boolean; config?: typeof AUGMENT_DEMO_CONFIG }) {
  const c = config ?? (full ? AUGMENT_DEMO_FULL_CONFIG : AUGMENT_DEMO_CONFIG);
  const backend = await initBackend();
  await mkdir(outDir, { recursive: true });
  const t0 = Date.now();
  const trainSet = clipSequences(c.trainClips, c.clips);
  const testSet = clipSequences(c.testClips, c.clips);
  const net = createAugmentAutoencoder({ imageShape: trainSet.imageShape, ...c.net });
  const curves = join(outDir, 'training-curves.png');
  await fitAugment(net, trainSet, { ...c.fit, curves });
  const pca = fitPcaAugment(trainSet, { latentDim: c.pcaDim });
  const fitSeconds = (Date.now() - t0) / 1000;
  const learned = evaluateOneStep(net, testSet);
  const linear = evaluateOneStep(pca, testSet);

  const t1 = Date.now();
  const { train, test } = identitySplit(c.persons, c.trainFrames, c.clips);
  const d = c.downstream;
  const conditions: [string, DownstreamAugmentation][] = [
    ['none', { kind: 'none' }],
    ['affine', { kind: 'affine' }],
    ['learned', { kind: 'learned', model: net, steps: d.augmentSteps }],
    ['learned, residual', { kind: 'learned', model: net, steps: d.augmentSteps, mode: 'residual' }],
  ];
  const accuracy: Record<string, number[]> = {};
  for (const [name, augmentation] of conditions) {
    accuracy[name] = [];
    for (const seed of d.seeds) {
      const r = await evaluateDownstream(train, test, { augmentation, classes: c.persons.length, seed, ...d });
      accuracy[name].push(r.accuracy);
    }
  }
  const downstreamSeconds = (Date.now() - t1) / 1000;
  const figure = join(outDir, 'augmentations.png');
  await strip(net, testSet.frames.slice(0, 3), testSet.imageShape, figure);
  net.dispose();
  pca.dispose();

  const e = (x: number) => x.toExponential(2);
  const f = (x: number) => x.toFixed(3);
  return {
    title: 'Learned augmentation from synthetic face clips (conv autoencoder + linear latent model)',
    rows: [
      { item: 'backend', value: backend },
      { item: 'one-step latent error (1 − R²): A / identity (autoencoder)', value: `${f(learned.latent.model)} / ${f(learned.latent.identity)}` },
      { item: 'one-step latent error (1 − R²): A / identity (PCA)', value: `${f(linear.latent.model)} / ${f(linear.latent.identity)}` },
      {
        item: 'one-step pixel MSE: D(Az) / D(z) / copy x_t (autoencoder)',
        value: `${e(learned.pixel.model)} / ${e(learned.pixel.identity)} / ${e(learned.pixel.copy)}`,
      },
      { item: 'one-step pixel MSE: D(Az) / D(z) (PCA)', value: `${e(linear.pixel.model)} / ${e(linear.pixel.identity)}` },
      ...conditions.map(([name]) => ({
        item: `identity accuracy, ${name} (held-out frames, ${d.seeds.length} seeds)`,
        value: `${f(mean(accuracy[name]!))} ± ${f(sd(accuracy[name]!))}`,
      })),
      {
        item: 'setup',
        value: `${c.trainClips.length} clips × ${c.clips.frames} frames ${c.clips.size}px, ${c.fit.steps} steps; ${c.persons.length} persons × ${c.trainFrames.length} training frame, ${d.steps} steps`,
      },
      { item: 'time (fit + eval / downstream)', value: `${fitSeconds.toFixed(0)} s / ${downstreamSeconds.toFixed(0)} s` },
    ],
    artifacts: [figure, curves],
  };
}
