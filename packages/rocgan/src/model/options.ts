/**
 * The RoCGAN layout (Chrysos et al., ICLR 2019, Sec. 3 and App. B; reference config `iclr_5layer_rocgan.yml`)
 * as one options object shared by the encoders, the decoder and the discriminator.
 */

/** Architecture of a RoCGAN / cGAN. Sizes are validated by {@link resolveArchitecture}. */
export interface RocGanArchitecture {
  /** Square image side: 4·2^(L−1) for L = `channels.length` encoder layers (64 for the reference's 5 layers). */
  imageSize?: number;
  /**
   * Encoder output channels per layer; the first L−1 layers are conv 4×4 stride 2 pad 1, the last conv 4×4
   * stride 4 (4×4 → 1×1, the latent). The decoder mirrors them. Default [64, 64, 128, 256, 512].
   */
  channels?: number[];
  /** Discriminator conv channels (three 4×4 stride-2 convs; features = last·(size/8)²). Default [64, 64, 64]. */
  discriminatorChannels?: number[];
  /** Encoder → decoder skip connections at every resolution (default false, as the reference config). */
  skips?: boolean;
  /** Std of the Gaussian noise added to skip features while training (default 0.1, the reference's `noise_cov`). */
  skipNoise?: number;
  /** Image channels (default 3). */
  imageChannels?: number;
  /** Negative slope of the leaky ReLUs (default 0.2, Chainer's `F.leaky_relu`). */
  leakySlope?: number;
  /** Batch-norm momentum, Keras convention (default 0.9 = Chainer's decay). */
  bnMomentum?: number;
  /** Batch-norm epsilon (default 2e-5, Chainer's). */
  bnEpsilon?: number;
  /** Seed of the weight initialisers (default 1). */
  seed?: number;
}

/** {@link RocGanArchitecture} with every default filled in. */
export type ResolvedArchitecture = Required<RocGanArchitecture>;

/** The reference's 5-layer 64×64 configuration. */
export const ROCGAN_64: ResolvedArchitecture = Object.freeze({
  imageSize: 64,
  channels: [64, 64, 128, 256, 512],
  discriminatorChannels: [64, 64, 64],
  skips: false,
  skipNoise: 0.1,
  imageChannels: 3,
  leakySlope: 0.2,
  bnMomentum: 0.9,
  bnEpsilon: 2e-5,
  seed: 1,
}) as ResolvedArchitecture;

function positiveInts(xs: unknown, what: string): number[] {
  if (!Array.isArray(xs) || xs.length === 0 || !xs.every((x) => Number.isInteger(x) && x > 0)) {
    throw new Error(`${what} must be a non-empty array of positive integers, got ${JSON.stringify(xs)}`);
  }
  return xs as number[];
}

/** Fills defaults and checks that the sizes fit together (one-line errors naming the option). */
export function resolveArchitecture(options: RocGanArchitecture = {}): ResolvedArchitecture {
  const a: ResolvedArchitecture = { ...ROCGAN_64, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  positiveInts(a.channels, 'architecture.channels');
  if (a.channels.length < 2) throw new Error(`architecture.channels needs at least 2 layers, got ${a.channels.length}`);
  const expected = 4 * 2 ** (a.channels.length - 1);
  if (a.imageSize !== expected) {
    throw new Error(
      `architecture.imageSize ${a.imageSize} does not fit ${a.channels.length} encoder layers (they need ${expected}: 4·2^(layers−1))`,
    );
  }
  if (positiveInts(a.discriminatorChannels, 'architecture.discriminatorChannels').length !== 3) {
    throw new Error(`architecture.discriminatorChannels must have 3 entries, got ${a.discriminatorChannels.length}`);
  }
  if (a.imageSize % 8 !== 0) throw new Error(`architecture.imageSize must be a multiple of 8, got ${a.imageSize}`);
  if (!Number.isInteger(a.imageChannels) || a.imageChannels <= 0)
    throw new Error(`architecture.imageChannels must be a positive integer, got ${a.imageChannels}`);
  for (const k of ['skipNoise', 'leakySlope', 'bnEpsilon'] as const) {
    if (!(a[k] >= 0) || !Number.isFinite(a[k])) throw new Error(`architecture.${k} must be a non-negative number, got ${a[k]}`);
  }
  if (!(a.bnMomentum >= 0 && a.bnMomentum < 1)) throw new Error(`architecture.bnMomentum must be in [0, 1), got ${a.bnMomentum}`);
  return { ...a, channels: [...a.channels], discriminatorChannels: [...a.discriminatorChannels] };
}

/** Number of discriminator features fed to its linear layer: last channels · (size/8)². */
export function discriminatorFeatureSize(a: ResolvedArchitecture): number {
  return a.discriminatorChannels[2]! * (a.imageSize / 8) ** 2;
}
