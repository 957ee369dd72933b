/**
 * fitRocGan: the reference's recipe (Sec. 4 and `iclr_5layer_rocgan.yml`): Adam 2e-4, β = (0.5, 0.9); per
 * iteration one discriminator step on a fresh batch, then one generator step (both pathways, shared decoder) on
 * the same batch; an EMA (0.999) of enc + dec. The cGAN baseline runs the same code without the AE pathway.
 * Runs on core-tensor's trainer: checkpoints (every network, the EMA and both optimisers) and exact resume,
 * progress bar, JSONL log and PNG curves.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tf, train, trainRunOptions, type TrainResult, type TrainRunOptions } from '@facelab/core-tensor';
import { writeFileAtomic, type Rng } from '@facelab/runtime';
import { loadBatch, type ImageSource, type PairBatch } from '../data/source.js';
import type { CorruptionOptions } from '../data/corruptions.js';
import { resolveLossWeights, rocganDiscriminatorLoss, rocganGeneratorLoss, type RocGanLossWeights } from '../loss/rocgan.js';
import { runPathway, type RocGan } from '../model/rocgan.js';

/** Options of {@link fitRocGan}. */
export interface FitRocGanOptions extends TrainRunOptions {
  /** The networks, from `createRocGan` (trained in place). */
  net: RocGan;
  /** Training images; unpaired sources are corrupted on the fly by `corruption`. */
  data: ImageSource;
  /** The task's corruption (default sparse inpainting, 50 % missing). */
  corruption?: CorruptionOptions;
  /** Loss weights (defaults: the reference's inpainting values; the cGAN ignores the AE terms). */
  loss?: RocGanLossWeights;
  /** Iterations (one D and one G step each). */
  steps: number;
  /** Images per batch (default 64). */
  batchSize?: number;
  /** Adam learning rate (default 2e-4) and betas (default 0.5, 0.9) for both networks. */
  lr?: number;
  beta1?: number;
  beta2?: number;
  /** EMA decay of enc + dec (default 0.999). */
  emaDecay?: number;
  /** Seed of batches, masks, dequantisation and skip noise (default 1). */
  seed?: number;
}

/** What {@link fitRocGan} returns: the trainer's result (records carry every loss term per step). */
export interface FitRocGanResult {
  result: TrainResult;
}

function positiveInt(v: unknown, what: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`fitRocGan: ${what} must be a positive integer, got ${String(v)}`);
  return v as number;
}

function trainableOf(models: (tf.LayersModel | undefined)[]): tf.Variable[] {
  return models.flatMap((m) => (m ? m.trainableWeights.map((w) => w.read() as tf.Variable) : []));
}

/** ema ← decay·ema + (1 − decay)·w for every weight (batch-norm statistics included, as the reference). */
export function updateEma(ema: tf.LayersModel, model: tf.LayersModel, decay: number): void {
  const src = model.weights;
  ema.weights.forEach((w, i) => {
    tf.tidy(() => {
      w.write(tf.add(tf.mul(decay, w.read()), tf.mul(1 - decay, src[i]!.read())));
    });
  });
}

/** The file beside the checkpoints that records which model they belong to. */
export const MODEL_CONFIG_FILE = 'rocgan-model.json';

/**
 * Records the model (variant + architecture) beside its checkpoints; on resume, refuses checkpoints of another
 * model with an error naming the file (a cGAN would otherwise silently resume from a RoCGAN's weights).
 */
async function checkModelConfig(net: RocGan, dir: string, resuming: boolean): Promise<void> {
  const file = join(dir, MODEL_CONFIG_FILE);
  const mine = JSON.stringify({ variant: net.variant, architecture: net.architecture });
  const stored = await readFile(file, 'utf8').catch(() => undefined);
  if (resuming && stored !== undefined && stored.trim() !== mine) {
    throw new Error(`${file}: the checkpoints here are of another model (${stored.trim()}), not of this ${net.variant} (${mine})`);
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, mine + '\n');
}

/** Trains a RoCGAN or its cGAN baseline; see {@link FitRocGanOptions}. */
export async function fitRocGan(options: FitRocGanOptions): Promise<FitRocGanResult> {
  const { net, data } = options;
  const steps = positiveInt(options.steps, 'steps');
  const batchSize = positiveInt(options.batchSize ?? 64, 'batchSize');
  const emaDecay = options.emaDecay ?? 0.999;
  if (!(emaDecay >= 0 && emaDecay < 1)) throw new Error(`fitRocGan: emaDecay must be in [0, 1), got ${emaDecay}`);
  if (data.imageSize !== net.architecture.imageSize) {
    throw new Error(
      `fitRocGan: the data has ${data.imageSize}×${data.imageSize} images, the model expects ${net.architecture.imageSize}×${net.architecture.imageSize}`,
    );
  }
  const weights = resolveLossWeights(options.loss);
  const rocgan = net.variant === 'rocgan';
  const lr = options.lr ?? 2e-4;
  const checkpointDir = typeof options.resume === 'string' ? dirname(options.resume) : options.checkpoint?.dir;
  if (checkpointDir !== undefined) await checkModelConfig(net, checkpointDir, options.resume !== undefined && options.resume !== false);
  const adam = () => tf.train.adam(lr, options.beta1 ?? 0.5, options.beta2 ?? 0.9);
  const optimizers = { dis: adam(), gen: adam() };
  const disVars = trainableOf([net.dis]);
  const genVars = trainableOf([net.enc, net.encAe, net.dec]);
  const { skips, skipNoise } = net.architecture;
  const noiseFor = (rng: Rng) =>
    skips && skipNoise > 0 ? (shape: number[]) => tf.randomNormal(shape, 0, skipNoise, 'float32', rng.int(2 ** 31)) : undefined;
  const projectionOn = weights.projection > 0 ? weights.projectionOn : undefined;
  const disOut = (img: tf.Tensor) => net.dis.apply(img, { training: true }) as [tf.Tensor, tf.Tensor];

  try {
    return { result: await runTraining() };
  } finally {
    // The optimisers live only for this run (their state is in the checkpoints).
    Object.values(optimizers).forEach((o) => o.dispose());
  }

  function runTraining(): Promise<TrainResult> {
    return train<PairBatch>({
      model: {
        enc: net.enc,
        ...(net.encAe ? { encAe: net.encAe } : {}),
        dec: net.dec,
        dis: net.dis,
        emaEnc: net.ema.enc,
        emaDec: net.ema.dec,
      },
      optimizer: optimizers,
      steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => {
        const indices = Array.from({ length: batchSize }, () => rng.int(data.length));
        return loadBatch(data, indices, rng, { corruption: options.corruption, dequantize: true });
      },
      step: ({ x, y }, ctx) => {
        const noise = noiseFor(ctx.rng);
        // Discriminator step: G's output is computed outside the tape (no gradient reaches G).
        const fake = tf.tidy(() => runPathway(net.enc, net.dec, x, { training: true, skipNoise: noise }).image);
        let d;
        try {
          d = ctx.minimize(
            () => {
              const [realLogits, realFeatures] = disOut(y);
              const [fakeLogits, fakeFeatures] = disOut(fake);
              const { total, terms } = rocganDiscriminatorLoss({ realLogits, fakeLogits, realFeatures, fakeFeatures }, weights);
              return { loss: total, metrics: Object.fromEntries(Object.entries(terms).map(([k, v]) => [`d/${k}`, v])) };
            },
            { optimizer: 'dis', variables: disVars },
          );
        } finally {
          fake.dispose();
        }
        // Generator step: both pathways through the shared decoder, D's weights fixed.
        const g = ctx.minimize(
          () => {
            const reg = runPathway(net.enc, net.dec, x, { training: true, skipNoise: noise });
            const [fakeLogits, fakeFeatures] = disOut(reg.image);
            const ae = rocgan ? runPathway(net.encAe!, net.dec, y, { training: true, skipNoise: noise }) : undefined;
            const realFeatures = projectionOn === 'generator' ? disOut(y)[1] : undefined;
            const { total, terms } = rocganGeneratorLoss(
              {
                fakeLogits,
                target: y,
                output: reg.image,
                ...(ae ? { reconstruction: ae.image, latentReg: reg.latent, latentAe: ae.latent } : {}),
                ...(realFeatures ? { realFeatures, fakeFeatures } : {}),
              },
              weights,
            );
            return { loss: total, metrics: Object.fromEntries(Object.entries(terms).map(([k, v]) => [`g/${k}`, v])) };
          },
          { optimizer: 'gen', variables: genVars },
        );
        if (!Number.isFinite(g.loss) || !Number.isFinite(d.loss)) {
          throw new Error(
            `fitRocGan: the ${Number.isFinite(g.loss) ? 'discriminator' : 'generator'} loss is ${
              Number.isFinite(g.loss) ? d.loss : g.loss
            } at step ${ctx.step + 1}`,
          );
        }
        updateEma(net.ema.enc, net.enc, emaDecay);
        updateEma(net.ema.dec, net.dec, emaDecay);
        return { loss: g.loss, metrics: { 'd/loss': d.loss, ...d.metrics, ...g.metrics } };
      },
      ...trainRunOptions(options, true),
    });
  }
}
