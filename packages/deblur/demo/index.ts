/**
 * `npm start` demo: the paper's comparison on synthetic moving faces. Blur is the mean of n ∈ {7, …, 13}
 * consecutive frames of a face moving along a short path; the target is the middle frame. Trained at equal budget
 * from the same weights: the deblur-only ablation (L1) and the two-stream network (L1 + cosine identity loss through
 * a frozen identity stream trained with ArcFace on sharp faces). Both continue one shared deblur-only warm-up (the
 * fork is where the two trainings begin to differ; `sharedSteps: 0` trains both from the same initial weights).
 * Scored on held-out pairs by PSNR, SSIM, the identity similarity of a separate evaluator network (another IR-ResNet,
 * trained on other samples), verification accuracy, and the 68-point landmark error of @facelab/densereg's
 * landmarks-from-U-V (a DenseReg network trained on other sharp faces), against the sharp frame's ground truth.
 * Writes a grid (blurred | deblur-only | two-stream | sharp), the training curves and a JSON of the scores and of
 * the CPU time per phase. {@link DEMO_CONFIG} is sized for the 90 s budget on two cores; `demo({ outDir, full: true })`
 * runs {@link FULL_DEMO_CONFIG}.
 */
import { join } from 'node:path';
import { initBackend, tf, type BackendName } from '@facelab/core-tensor';
import { imageGrid, writeImage } from '@facelab/data';
import { createDenseRegNet, estimateLandmarkTemplate, fitDenseReg } from '@facelab/densereg';
import { writeFileAtomic } from '@facelab/runtime';
import {
  createDeblurNet,
  createIdentityNet,
  deblurImages,
  denseRegLocator,
  denseRegSample,
  evaluateDeblur,
  fitDeblur,
  fitIdentityNet,
  meanLandmarkError,
  type DeblurEvaluation,
  type DeblurNet,
  type DeblurVariant,
} from '@facelab/deblur';
import { syntheticPairs } from './faces.js';

/** A demo configuration. */
export interface DemoConfig {
  label: string;
  size: number;
  identities: number;
  trainPerIdentity: number;
  testPerIdentity: number;
  filters: number[];
  variant: DeblurVariant;
  /** ArcFace steps of the identity stream and of the evaluator. */
  identitySteps: number;
  evaluatorSteps: number;
  /** Images per ArcFace step: identity stream, evaluator. */
  identityBatch: number;
  evaluatorBatch: number;
  /** Deblur-only (L1) steps shared by both networks before they fork. */
  sharedSteps: number;
  /** Steps of each network after the fork. */
  steps: number;
  batchSize: number;
  lr: number;
  identityWeight: number;
  /** The landmark locator: DenseReg small-trunk widths, steps (batch 8), and the upsampling factor it runs at. */
  landmark: { widths: [number, number, number, number]; steps: number; scale: number };
  backend?: BackendName;
}

/** Sized for the 90 s budget on two cores (README: measured CPU time): 32² faces, ArcFace identity stream and evaluator 60 steps each, a DenseReg locator at 2× upsampling (120 steps), a 12–48-channel U-Net, 100 steps each from the same initial weights. */
export const DEMO_CONFIG: DemoConfig = {
  label: 'quick',
  size: 32,
  identities: 16,
  trainPerIdentity: 12,
  testPerIdentity: 4,
  filters: [12, 24, 48],
  variant: 'single',
  identitySteps: 60,
  evaluatorSteps: 60,
  identityBatch: 32,
  evaluatorBatch: 16,
  sharedSteps: 0,
  steps: 100,
  batchSize: 16,
  lr: 2e-3,
  identityWeight: 0.1,
  landmark: { widths: [12, 24, 32, 48], steps: 120, scale: 2 },
  backend: 'wasm',
};

/** A longer run (`demo({ outDir, full: true })`, not part of `npm start`): 64² faces, more identities and steps, separate trainings from the same initial weights, the default U-Net width. */
export const FULL_DEMO_CONFIG: DemoConfig = {
  ...DEMO_CONFIG,
  label: 'full',
  size: 64,
  identities: 32,
  trainPerIdentity: 32,
  testPerIdentity: 8,
  filters: [32, 64, 128],
  identitySteps: 600,
  evaluatorSteps: 600,
  identityBatch: 32,
  evaluatorBatch: 32,
  sharedSteps: 0,
  steps: 3000,
  lr: 1e-3,
  landmark: { widths: [16, 32, 48, 64], steps: 2000, scale: 2 },
  backend: undefined,
};

/** What the demo returns (the root `npm start` prints `title` and `rows`). */
export interface DemoResult {
  title: string;
  rows: { item: string; value: string }[];
  artifacts: string[];
  scores: DeblurEvaluation;
  /** Landmark error of the locator on the sharp frames themselves: the floor of the landmark column. */
  sharpLandmarkError: number;
  /** CPU seconds (user + system, this process) and wall seconds per phase. */
  timings: Record<string, { cpu: number; wall: number }>;
}

const fmt = (s: DeblurEvaluation[string]) =>
  `PSNR ${s.psnr.toFixed(2)} dB, SSIM ${s.ssim.toFixed(4)}, identity cos ${s.identityCosine?.toFixed(4) ?? '—'}, verification ${
    s.verification === undefined ? '—' : `${(100 * s.verification).toFixed(1)} %`
  }, landmark NME ${s.landmarkError?.toFixed(4) ?? '—'}${s.landmarkFailures ? ` (${s.landmarkFailures} not found)` : ''}`;

/** Runs the demo: `full` selects FULL_DEMO_CONFIG, `config` any other. */
export async function demo({ outDir, full = false, config }: { outDir: string; full?: boolean; config?: DemoConfig }): Promise<DemoResult> {
  const c = config ?? (full ? FULL_DEMO_CONFIG : DEMO_CONFIG);
  const backend = await initBackend(c.backend);
  const started = Date.now();
  const timings: DemoResult['timings'] = {};
  const phase = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const cpu0 = process.cpuUsage();
    const wall0 = Date.now();
    const out = await run();
    const cpu = process.cpuUsage(cpu0);
    timings[name] = { cpu: (cpu.user + cpu.system) / 1e6, wall: (Date.now() - wall0) / 1000 };
    return out;
  };
  const faces = (perIdentity: number, seed: number) => syntheticPairs({ identities: c.identities, perIdentity, size: c.size, seed });
  const { train, test, evalFaces, landmarkFaces } = await phase('data', () => ({
    train: faces(c.trainPerIdentity, 0),
    test: faces(c.testPerIdentity, 1),
    evalFaces: faces(c.trainPerIdentity, 2),
    landmarkFaces: faces(c.trainPerIdentity, 3),
  }));
  const stack = (images: Float32Array[]) => {
    const buf = new Float32Array(images.length * c.size * c.size * 3);
    images.forEach((im, i) => buf.set(im, i * im.length));
    return tf.tensor4d(buf, [images.length, c.size, c.size, 3]);
  };

  // The identity stream (frozen after this) and, separately, the evaluator: other weights, other samples.
  const identity = createIdentityNet({ imageSize: c.size, seed: 1 });
  const evaluator = createIdentityNet({ imageSize: c.size, seed: 2, widths: [16, 24, 48, 96, 128], name: 'evaluator' });
  for (const [name, net, set, steps, batchSize] of [
    ['identity stream', identity, train, c.identitySteps, c.identityBatch],
    ['evaluator', evaluator, evalFaces, c.evaluatorSteps, c.evaluatorBatch],
  ] as const) {
    const x = stack(set.sharp);
    try {
      await phase(name, () => fitIdentityNet({ net, images: x, labels: set.labels, steps, batchSize, seed: 1 }));
    } finally {
      x.dispose();
    }
  }

  // The landmark locator: DenseReg on the sharp frames of other samples (their exact U-V), template from them.
  const lm = c.landmark;
  const landmarkSamples = landmarkFaces.sharp.map((im, i) =>
    denseRegSample(im, c.size, { scale: lm.scale, uv: landmarkFaces.uv[i], landmarks: landmarkFaces.landmarks[i], name: landmarkFaces.names[i] }),
  );
  const template = estimateLandmarkTemplate(landmarkSamples);
  const densereg = createDenseRegNet({ trunk: 'small', smallWidths: lm.widths, seed: 7 });
  await phase('landmark locator', () => fitDenseReg({ model: densereg, samples: landmarkSamples, steps: lm.steps, batchSize: 8, learningRate: 2e-3, seed: 7 }));
  const locate = denseRegLocator({ model: densereg, template, scale: lm.scale });

  // Deblurring: a shared deblur-only warm-up, then the ablation and the two-stream network from the same weights.
  const fit = (net: DeblurNet, name: string, steps: number, withIdentity: boolean) =>
    phase(name, () =>
      fitDeblur({
        net,
        data: train,
        identity: withIdentity ? identity : undefined,
        loss: { l1: 1, identity: withIdentity ? c.identityWeight : 0 },
        steps,
        batchSize: c.batchSize,
        lr: c.lr,
        seed: 4,
        log: join(outDir, `train-${name}.jsonl`),
        curves: join(outDir, `curves-${name}.png`),
        progress: false,
      }),
    );
  const create = () => createDeblurNet({ imageSize: c.size, filters: c.filters, variant: c.variant, seed: 3 });
  const start = create();
  if (c.sharedSteps > 0) await fit(start, 'shared', c.sharedSteps, false);
  const nets: Record<string, DeblurNet> = {};
  for (const [name, withIdentity] of [
    ['deblur-only', false],
    ['two-stream', true],
  ] as const) {
    const net = create();
    net.model.setWeights(start.model.getWeights());
    await fit(net, name, c.steps, withIdentity);
    nets[name] = net;
  }
  start.model.dispose();
  const { scores, sharpLandmarkError } = await phase('evaluation', () => ({
    scores: evaluateDeblur({ data: test, nets, evaluator, labels: test.labels, landmarks: { locate, truth: test.landmarks } }),
    sharpLandmarkError: meanLandmarkError(locate(test.sharp, c.size), test.landmarks).error,
  }));

  // Grid: one row per test face (blurred | deblur-only | two-stream | sharp), shown at 3× size.
  const show = Array.from({ length: 6 }, (_, i) => (i * test.blurred.length) / 6).map(Math.floor);
  const outs = Object.fromEntries(Object.entries(nets).map(([k, net]) => [k, deblurImages(net, show.map((i) => test.blurred[i]!))]));
  const grid = tf.tidy(() => {
    const tiles = show.flatMap((i, r) => [test.blurred[i]!, outs['deblur-only']![r]!, outs['two-stream']![r]!, test.sharp[i]!]);
    const big = tiles.map((t) => tf.image.resizeNearestNeighbor(tf.tensor3d(t, [c.size, c.size, 3]), [3 * c.size, 3 * c.size]) as tf.Tensor3D);
    return imageGrid(big, { cols: 4 });
  });
  const gridPath = join(outDir, 'deblur-grid.png');
  await writeImage(gridPath, grid);
  grid.dispose();
  Object.values(nets).forEach((n) => n.model.dispose());
  identity.dispose();
  evaluator.dispose();
  densereg.dispose();
  const jsonPath = join(outDir, 'deblur-scores.json');
  await writeFileAtomic(jsonPath, JSON.stringify({ config: c, backend, scores, sharpLandmarkError, timings }, null, 2) + '\n');

  const blurred = scores.blurred!;
  const only = scores['deblur-only']!;
  const two = scores['two-stream']!;
  const raised = (two.identityCosine ?? 0) > (only.identityCosine ?? 0);
  const comparable = Math.abs(two.psnr - only.psnr) <= 0.5;
  const nmeOf = (s: DeblurEvaluation[string]) => s.landmarkError ?? Number.NaN;
  const cpu = Object.values(timings).reduce((a, t) => a + t.cpu, 0);
  const steps = c.sharedSteps > 0 ? `${c.sharedSteps} shared + ${c.steps} steps each` : `${c.steps} steps each`;
  return {
    title: `face motion deblurring, ${c.size}² synthetic faces, ${steps} (${backend}, ${((Date.now() - started) / 1000).toFixed(0)} s, ${cpu.toFixed(0)} s CPU)`,
    rows: [
      { item: 'blurred input', value: fmt(blurred) },
      { item: 'deblur-only', value: fmt(only) },
      { item: 'two-stream', value: fmt(two) },
      { item: 'sharp frame (landmark locator floor)', value: `landmark NME ${sharpLandmarkError.toFixed(4)}` },
      {
        item: 'identity stream raises identity cos at comparable PSNR (±0.5 dB)',
        value: `${raised && comparable ? 'yes' : 'no'} (Δcos ${((two.identityCosine ?? 0) - (only.identityCosine ?? 0)).toFixed(4)}, ΔPSNR ${(two.psnr - only.psnr).toFixed(2)} dB)`,
      },
      {
        item: 'deblurring lowers the landmark error of the blurred input',
        value: `${nmeOf(only) < nmeOf(blurred) && nmeOf(two) < nmeOf(blurred) ? 'yes' : 'no'} (NME ${nmeOf(blurred).toFixed(4)} → deblur-only ${nmeOf(only).toFixed(4)}, two-stream ${nmeOf(two).toFixed(4)})`,
      },
    ],
    artifacts: [gridPath, join(outDir, 'curves-two-stream.png'), jsonPath],
    scores,
    sharpLandmarkError,
    timings,
  };
}
