/**
 * IR-ResNet backbones of ArcFace (insightface "LResNetxxE-IR", the `iresnet` of arcface_torch): stem conv3×3/64
 * stride 1 + BN + PReLU; four stages of IR units (core-tensor's `irBlock`), the first unit of each with stride
 * 2; head BN → Dropout → FC → BN with fixed γ ("E" output). Batch norms use PyTorch's epsilon 1e-5 so that
 * arcface_torch / ONNX weights load unchanged.
 */
import { batchNorm as coreBatchNorm, irBlock, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';

/** Units per stage of the published depths. */
export const IRESNET_UNITS = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 14, 3],
  100: [3, 13, 30, 3],
} as const;

/** A published IR-ResNet depth. */
export type IresnetDepth = keyof typeof IRESNET_UNITS;

/** Options of {@link iresnet}. */
export interface IresnetOptions {
  /** Published depth (default 50); ignored when `units` is given. */
  depth?: IresnetDepth;
  /** Units per stage, overriding `depth` (e.g. [1, 1, 1, 1] for a small test model). */
  units?: readonly number[];
  /** Channels of the stem and the four stages (default [64, 64, 128, 256, 512]). */
  widths?: readonly number[];
  /** Square input size in pixels (default 112); must be divisible by 16. */
  inputSize?: number;
  /** Embedding dimension (default 512). */
  embeddingSize?: number;
  /**
   * Dropout rate before the FC layer (default 0, as arcface_torch trains; the paper-era MXNet "E" output used
   * 0.4).
   */
  dropout?: number;
  /** Pixel normalisation (x − 127.5) / inputStd inside the model (default 128, insightface's). */
  inputStd?: number;
  /** Seed of the weight initialisation (default 0): the same seed gives the same weights on every backend. */
  seed?: number;
  /** Model name (default `iresnet`). */
  name?: string;
}

/** The small configuration used by the tests and the demo: one unit per stage, narrow, 32×32 input. */
export const IRESNET_SMALL: IresnetOptions = {
  units: [1, 1, 1, 1],
  widths: [16, 16, 32, 64, 128],
  inputSize: 32,
  embeddingSize: 64,
};

/** Batch-norm settings of arcface_torch (PyTorch momentum 0.1 = Keras 0.9). */
export const IRESNET_BN = { epsilon: 1e-5, momentum: 0.9 } as const;

/** Resolved architecture of an iresnet model, as {@link iresnetLayout} returns it. */
export interface IresnetLayout {
  units: number[];
  widths: number[];
  inputSize: number;
  embeddingSize: number;
  dropout: number;
  inputStd: number;
}

/** Resolves and validates {@link IresnetOptions}. */
export function iresnetLayout(options: IresnetOptions = {}): IresnetLayout {
  const depth = options.depth ?? 50;
  if (options.units === undefined && !(depth in IRESNET_UNITS)) {
    throw new Error(`iresnet: depth must be 18, 34, 50 or 100, got ${String(depth)}`);
  }
  const units = [...(options.units ?? IRESNET_UNITS[depth])];
  const widths = [...(options.widths ?? [64, 64, 128, 256, 512])];
  const inputSize = options.inputSize ?? 112;
  const layout = {
    units,
    widths,
    inputSize,
    embeddingSize: options.embeddingSize ?? 512,
    dropout: options.dropout ?? 0,
    inputStd: options.inputStd ?? 128,
  };
  if (units.length !== 4 || !units.every((u) => Number.isInteger(u) && u >= 1)) {
    throw new Error(`iresnet: units must be 4 positive integers, got [${units}]`);
  }
  if (widths.length !== 5 || !widths.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new Error(`iresnet: widths must be 5 positive integers (stem + 4 stages), got [${widths}]`);
  }
  if (!Number.isInteger(inputSize) || inputSize < 16 || inputSize % 16 !== 0) {
    throw new Error(`iresnet: inputSize must be a multiple of 16, got ${inputSize}`);
  }
  if (!(layout.dropout >= 0 && layout.dropout < 1)) throw new Error(`iresnet: dropout must be in [0, 1), got ${layout.dropout}`);
  if (!Number.isInteger(layout.embeddingSize) || layout.embeddingSize < 1) {
    throw new Error(`iresnet: embeddingSize must be a positive integer, got ${layout.embeddingSize}`);
  }
  return layout;
}

/** Layer name of unit `u` (0-based) of stage `s` (1-based). */
export function iresnetUnitName(stage: number, unit: number): string {
  return `stage${stage}_unit${unit}`;
}

/**
 * An IR-ResNet as a `tf.LayersModel`: input [B, size, size, 3] RGB pixels in [0, 255], output the embedding
 * [B, embeddingSize] (not L2-normalised). Layers are named `stem_*`, `stage<s>_unit<u>_*`, `head_bn`, `fc`,
 * `embedding_bn`, which {@link loadOnnxWeights} relies on.
 */
export function iresnet(options: IresnetOptions = {}): tf.LayersModel {
  const L = iresnetLayout(options);
  const bn = { bnEpsilon: IRESNET_BN.epsilon, bnMomentum: IRESNET_BN.momentum };
  const input = tf.input({ shape: [L.inputSize, L.inputSize, 3], name: 'image' });
  let x = tf.layers
    .rescaling({ scale: 1 / L.inputStd, offset: -127.5 / L.inputStd, name: 'normalize' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({ filters: L.widths[0]!, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name: 'stem_conv' })
    .apply(x) as tf.SymbolicTensor;
  x = batchNorm(x, 'stem_bn');
  x = tf.layers
    .prelu({ sharedAxes: [1, 2], alphaInitializer: tf.initializers.constant({ value: 0.25 }), name: 'stem_prelu' })
    .apply(x) as tf.SymbolicTensor;
  for (let s = 0; s < 4; s++) {
    for (let u = 0; u < L.units[s]!; u++) {
      x = irBlock(x, { filters: L.widths[s + 1]!, strides: u === 0 ? 2 : 1, name: iresnetUnitName(s + 1, u), ...bn });
    }
  }
  x = batchNorm(x, 'head_bn');
  if (L.dropout > 0) x = tf.layers.dropout({ rate: L.dropout, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'head_flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: L.embeddingSize, kernelInitializer: 'glorotNormal', name: 'fc' }).apply(x) as tf.SymbolicTensor;
  const out = batchNorm(x, 'embedding_bn');
  const model = tf.model({ inputs: input, outputs: out, name: options.name ?? 'iresnet' });
  fixEmbeddingGamma(model);
  seedKernels(model, options.seed ?? 0);
  return model;
}

/**
 * Re-draws every convolution and FC kernel from facelab's seeded generator (He normal for convolutions,
 * Glorot normal for the FC), so that a model is a pure function of its options and seed.
 */
function seedKernels(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const kernel = layer.weights[0]!;
    const shape = kernel.shape as number[];
    const fanOut = shape[shape.length - 1]!;
    const fanIn = shape.reduce((a, b) => a * b, 1) / fanOut;
    const std = cls === 'Conv2D' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
    const values = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal(0, std);
    const t = tf.tensor(values, shape);
    kernel.write(t);
    t.dispose();
  }
}

/**
 * The "E" output is a BN whose γ is fixed (1 at init), as arcface_torch's `features` layer. tfjs 4.22's BN
 * with `scale: false` fails in training mode, so γ exists but is not trainable. Call this again on a model
 * loaded from disk before training it (trainability is not serialised).
 */
export function fixEmbeddingGamma(model: tf.LayersModel): void {
  const gamma = model.getLayer('embedding_bn').weights.find((w) => w.originalName.endsWith('gamma'));
  if (gamma === undefined) throw new Error(`fixEmbeddingGamma: layer 'embedding_bn' of '${model.name}' has no gamma`);
  gamma.trainable = false;
}

/** core-tensor's batch norm (tf.layers.batchNormalization's weights and semantics, fused training kernels). */
function batchNorm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return coreBatchNorm(x, { epsilon: IRESNET_BN.epsilon, momentum: IRESNET_BN.momentum, name });
}

/** Parameter counts of a model: trainable, and all weights (incl. BN moving statistics). */
export function countParams(model: tf.LayersModel): { trainable: number; total: number } {
  const size = (ws: tf.LayerVariable[]) => ws.reduce((a, w) => a + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
  return { trainable: size(model.trainableWeights), total: size(model.weights) };
}
