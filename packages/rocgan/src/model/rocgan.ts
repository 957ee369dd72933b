/**
 * A RoCGAN (Chrysos et al., ICLR 2019, Sec. 3.1): a regression pathway `enc` + `dec` (corrupted x → ŷ) and an
 * autoencoder pathway `encAe` + `dec` (clean y → ỹ) sharing one decoder, a discriminator, and an EMA copy of
 * `enc` + `dec` for evaluation. The cGAN baseline is the same without `encAe`.
 */
import { tf } from '@facelab/core-tensor';
import { createDecoder } from './decoder.js';
import { createDiscriminator } from './discriminator.js';
import { createEncoder } from './encoder.js';
import { resolveArchitecture, type ResolvedArchitecture, type RocGanArchitecture } from './options.js';

/** 'rocgan' (two pathways) or 'cgan' (the single-pathway baseline). */
export type RocGanVariant = 'rocgan' | 'cgan';

/** Options of {@link createRocGan}. */
export interface CreateRocGanOptions extends RocGanArchitecture {
  /** Which model (default 'rocgan'). */
  variant?: RocGanVariant;
}

/** The networks of a RoCGAN or cGAN. Dispose with {@link disposeRocGan}. */
export interface RocGan {
  variant: RocGanVariant;
  architecture: ResolvedArchitecture;
  /** Regression encoder E_reg: corrupted x → latent. */
  enc: tf.LayersModel;
  /** Autoencoder encoder E_AE: clean y → latent ('rocgan' only). */
  encAe?: tf.LayersModel;
  /** Shared decoder: latent (+ skips) → image in [−1, 1]. */
  dec: tf.LayersModel;
  /** Discriminator: image → [logit, features]. */
  dis: tf.LayersModel;
  /** Exponential moving averages of `enc` and `dec` (weights and batch-norm statistics), used for evaluation. */
  ema: { enc: tf.LayersModel; dec: tf.LayersModel };
}

/** Builds a RoCGAN (or, with `variant: 'cgan'`, the cGAN baseline) with seeded initial weights. */
export function createRocGan(options: CreateRocGanOptions = {}): RocGan {
  const { variant = 'rocgan', ...arch } = options;
  if (variant !== 'rocgan' && variant !== 'cgan')
    throw new Error(`createRocGan: variant must be 'rocgan' or 'cgan', got '${String(variant)}'`);
  const a = resolveArchitecture(arch);
  const enc = createEncoder(a, 'enc');
  const dec = createDecoder(a, 'dec');
  const ema = { enc: createEncoder(a, 'enc'), dec: createDecoder(a, 'dec') };
  ema.enc.setWeights(enc.getWeights());
  ema.dec.setWeights(dec.getWeights());
  return {
    variant,
    architecture: a,
    enc,
    ...(variant === 'rocgan' ? { encAe: createEncoder(a, 'encae') } : {}),
    dec,
    dis: createDiscriminator(a),
    ema,
  };
}

/** Disposes every network of a {@link RocGan}. */
export function disposeRocGan(net: RocGan): void {
  for (const m of [net.enc, net.encAe, net.dec, net.dis, net.ema.enc, net.ema.dec]) m?.dispose();
}

/** Trainable parameter count of each network and of the generator (encoders + decoder). */
export function countParameters(net: RocGan): { enc: number; encAe: number; dec: number; dis: number; generator: number } {
  const count = (m?: tf.LayersModel) =>
    m ? m.trainableWeights.reduce((s, w) => s + w.shape.reduce((p: number, d) => p * (d ?? 0), 1), 0) : 0;
  const [enc, encAe, dec, dis] = [count(net.enc), count(net.encAe), count(net.dec), count(net.dis)];
  return { enc, encAe, dec, dis, generator: enc + encAe + dec };
}

/** What a pathway returns: the decoded image and the encoder's latent. */
export interface PathwayOutput {
  image: tf.Tensor4D;
  latent: tf.Tensor4D;
}

/**
 * Runs encoder → decoder on images in [−1, 1]. With skips, `skipNoise(shape)` (training only) is added to every
 * skip feature but the one entering the last decoder layer, as the reference's `noise_skip`.
 */
export function runPathway(
  enc: tf.LayersModel,
  dec: tf.LayersModel,
  x: tf.Tensor4D,
  opts: { training: boolean; skipNoise?: (shape: number[]) => tf.Tensor },
): PathwayOutput {
  return tf.tidy(() => {
    const out = enc.apply(x, { training: opts.training }) as tf.Tensor | tf.Tensor[];
    if (!Array.isArray(out)) {
      return { latent: out as tf.Tensor4D, image: dec.apply(out, { training: opts.training }) as tf.Tensor4D };
    }
    const [latent, ...skips] = out as [tf.Tensor4D, ...tf.Tensor4D[]];
    const noisy = skips.map((s, i) => (opts.skipNoise && i < skips.length - 1 ? tf.add(s, opts.skipNoise(s.shape)) : s));
    return { latent, image: dec.apply([latent, ...noisy], { training: opts.training }) as tf.Tensor4D };
  });
}
