/**
 * The deblurring stream (Sec. 3 of arXiv 1803.03330 v1: an encoder–decoder with skip connections) and the IJCV
 * version's two-step variant (first the low frequencies, then the high frequencies). Both are residual in our
 * reading: the network predicts a correction added to its input, so an untrained net starts at the blurred image.
 *
 * - `single`: out = x + U(x), U a U-Net from core-tensor's encoderDecoder.
 * - `two-step`: low = avgPool₂(x) + U_low(avgPool₂(x)) at half resolution; up = bilinear×2(low);
 *   out = up + U_high([x, up]). The model's second output is `low` (supervised by the half-resolution sharp image).
 * Images are NHWC RGB in [0, 1]; outputs are not clipped (clip when writing).
 */
import { encoderDecoder, tf } from '@facelab/core-tensor';

/** Which deblurring network: one encoder–decoder, or the IJCV two-step (low then high frequency) pair. */
export type DeblurVariant = 'single' | 'two-step';

/** Options of {@link createDeblurNet}. */
export interface DeblurNetOptions {
  /** Square image size in pixels (default 64); divisible by 2^(levels − 1) (× 2 more for two-step). */
  imageSize?: number;
  /** Channels per encoder level, finest first (default [32, 64, 128]). */
  filters?: number[];
  /** Network variant (default 'single'). */
  variant?: DeblurVariant;
  /** Seed of the weights (default 0). */
  seed?: number;
  /**
   * Batch-norm moving-average momentum (default 0.9, Keras convention; core-tensor's default 0.99 leaves the
   * moving statistics far from the data after a few hundred steps, which inference mode then uses).
   */
  bnMomentum?: number;
}

/** The architecture a deblur network was built with (saved beside its weights). */
export interface DeblurArchitecture {
  imageSize: number;
  filters: number[];
  variant: DeblurVariant;
}

/** A deblurring network: the Keras model and its architecture. */
export interface DeblurNet {
  model: tf.LayersModel;
  architecture: DeblurArchitecture;
}

/** Resolves the options to an architecture, checking them; errors name the option. */
export function deblurArchitecture(options: DeblurNetOptions = {}): DeblurArchitecture {
  const imageSize = options.imageSize ?? 64;
  const filters = options.filters ?? [32, 64, 128];
  const variant = options.variant ?? 'single';
  if (variant !== 'single' && variant !== 'two-step') throw new Error(`variant must be 'single' or 'two-step', got '${String(variant)}'`);
  if (!Array.isArray(filters) || filters.length === 0 || !filters.every((f) => Number.isInteger(f) && f > 0)) {
    throw new Error(`filters must be a non-empty list of positive integers, got ${JSON.stringify(filters)}`);
  }
  const scale = 2 ** (filters.length - 1) * (variant === 'two-step' ? 2 : 1);
  if (!Number.isInteger(imageSize) || imageSize <= 0 || imageSize % scale !== 0) {
    throw new Error(`imageSize must be a positive multiple of ${scale} for ${filters.length} levels (${variant}), got ${imageSize}`);
  }
  return { imageSize, filters: [...filters], variant };
}

/** Builds the deblurring network; outputs `[deblurred]` (single) or `[deblurred, low]` (two-step). */
export function createDeblurNet(options: DeblurNetOptions = {}): DeblurNet {
  const architecture = deblurArchitecture(options);
  const { imageSize: s, filters, variant } = architecture;
  const seed = options.seed ?? 0;
  const input = tf.input({ shape: [s, s, 3], name: 'blurred' });
  const unet = (x: tf.SymbolicTensor, name: string) =>
    encoderDecoder(x, { filters, skips: true, upsample: 'transposed', outChannels: 3, name, seed });
  const add = (a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string) => tf.layers.add({ name }).apply([a, b]) as tf.SymbolicTensor;
  let outputs: tf.SymbolicTensor[];
  if (variant === 'single') {
    outputs = [add(input, unet(input, 'deblur'), 'deblurred')];
  } else {
    const xl = tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: 'low_pool' }).apply(input) as tf.SymbolicTensor;
    const low = add(xl, unet(xl, 'low'), 'low_sum');
    const up = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'low_up' }).apply(low) as tf.SymbolicTensor;
    const both = tf.layers.concatenate({ axis: -1, name: 'high_in' }).apply([input, up]) as tf.SymbolicTensor;
    outputs = [add(up, unet(both, 'high'), 'deblurred'), low];
  }
  const model = tf.model({ inputs: input, outputs, name: `deblur_${variant.replace('-', '_')}` });
  const momentum = options.bnMomentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`bnMomentum must be in [0, 1), got ${momentum}`);
  for (const layer of model.layers) {
    // The U-Nets' last 1×1 convolutions start at zero: an untrained network returns its input (residual start).
    if (/^(deblur|low|high)_out$/.test(layer.name)) tf.tidy(() => layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w))));
    // encoderDecoder has no momentum option; FusedBatchNorm reads this field at each training call.
    if (layer.getClassName().includes('BatchNorm')) (layer as unknown as { momentum: number }).momentum = momentum;
  }
  return { model, architecture };
}

/** What a forward pass gives: the deblurred images, and (two-step) the low-frequency stage's half-size output. */
export interface DeblurOutput {
  deblurred: tf.Tensor4D;
  low?: tf.Tensor4D;
}

/** Runs the network on a batch [N, s, s, 3] in [0, 1]. */
export function runDeblur(net: DeblurNet, x: tf.Tensor4D, training = false): DeblurOutput {
  const out = net.model.apply(x, { training }) as tf.Tensor4D | tf.Tensor4D[];
  if (Array.isArray(out)) return out.length > 1 ? { deblurred: out[0]!, low: out[1]! } : { deblurred: out[0]! };
  return { deblurred: out };
}

/** Deblurs a batch for use (inference mode, clipped to [0, 1]); the result is the caller's to dispose. */
export function predictDeblur(net: DeblurNet, x: tf.Tensor4D): tf.Tensor4D {
  const s = net.architecture.imageSize;
  if (x.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== 3) {
    throw new Error(`predictDeblur: images have shape [${x.shape}], the network expects [N, ${s}, ${s}, 3]`);
  }
  return tf.tidy(() => {
    const { deblurred, low } = runDeblur(net, x, false);
    low?.dispose();
    return tf.clipByValue(deblurred, 0, 1);
  });
}
