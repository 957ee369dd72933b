/**
 * DenseReg's fully convolutional network (Güler et al., arXiv 1803.02188, Sec. 4; the released Caffe model
 * is DeepLab-v2's ResNet-101): a ResNet trunk at output stride 8 — stem conv7×7/2 and max-pool 3×3/2, res2,
 * res3 at stride 2, res4 and res5 at stride 1 with dilation 2 and 4 — then 1×1 heads, bilinearly upsampled
 * (align corners, DeepLab's Interp) to the input size. Quantized heads per axis: (K + 1)-way classification
 * (class 0 = background) and K residuals; the direct-regression ablation has a 2-way foreground head and one
 * regression channel per axis. The input is an RGB image with DeepLab's mean subtracted ({@link normalizeImage}).
 */
import { basicBlock, bottleneckBlock, convBnAct, ResizeToMatch, tf } from '@facelab/core-tensor';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';

/** Trunk depth: 'small' (basic blocks, narrow, for tests and the demo), or ResNet-50 / ResNet-101 bottlenecks. */
export type DenseRegTrunk = 'small' | 'resnet50' | 'resnet101';

/** Output parameterisation: DenseReg's quantized regression, or the direct-regression ablation. */
export type DenseRegHead = 'quantized' | 'direct';

/** Options of {@link createDenseRegNet}. */
export interface DenseRegNetOptions {
  /** Trunk (default 'small'). */
  trunk?: DenseRegTrunk;
  /** 'quantized' (default) or 'direct'. */
  head?: DenseRegHead;
  /** Bins K per axis (default 10, the paper's). */
  bins?: number;
  /** Widths of the small trunk's four stages (default [16, 32, 48, 64]). */
  smallWidths?: readonly [number, number, number, number];
  /** Seed of every initialiser. */
  seed?: number;
}

/** The DeepLab RGB mean subtracted from 0–255 pixels (Caffe's BGR [104.008, 116.669, 122.675], reordered). */
export const DEEPLAB_RGB_MEAN = [122.675, 116.669, 104.008] as const;

const STAGES: Record<Exclude<DenseRegTrunk, 'small'>, readonly number[]> = {
  resnet50: [3, 4, 6, 3],
  resnet101: [3, 4, 23, 3],
};
const FILTERS = [64, 128, 256, 512] as const;
/** Per stage: stride of its first block and dilation of its 3×3 convolutions (output stride 8). */
const STRIDES = [1, 2, 1, 1] as const;
const DILATIONS = [1, 1, 2, 4] as const;

/** Channels of the head output for `bins` K: quantized 2·(2K + 1), direct 2 + 2. */
export function denseRegChannels(head: DenseRegHead, bins: number): number {
  return head === 'quantized' ? 2 * (2 * bins + 1) : 4;
}

function head1x1(x: tf.SymbolicTensor, filters: number, std: number, seed: number | undefined, name: string): tf.SymbolicTensor {
  return tf.layers
    .conv2d({
      filters,
      kernelSize: 1,
      kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: std, seed: layerSeed(seed, name) }),
      biasInitializer: 'zeros',
      name,
    })
    .apply(x) as tf.SymbolicTensor;
}

/** The trunk: [B, H, W, 3] → [B, ⌈H/8⌉, ⌈W/8⌉, C]. */
function trunk(
  input: tf.SymbolicTensor,
  options: Required<Pick<DenseRegNetOptions, 'trunk' | 'smallWidths'>> & { seed?: number }
): tf.SymbolicTensor {
  const { seed } = options;
  const small = options.trunk === 'small';
  const widths = small ? options.smallWidths : FILTERS;
  const bn = { bnEpsilon: 1e-5, seed };
  let y = convBnAct(input, { ...bn, filters: small ? widths[0] : 64, kernelSize: 7, strides: 2, padding: 3, name: 'conv1' });
  y = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    })
    .apply(y) as tf.SymbolicTensor;
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'pool1' }).apply(y) as tf.SymbolicTensor;
  const blocks = small ? [1, 1, 1, 1] : STAGES[options.trunk as Exclude<DenseRegTrunk, 'small'>];
  blocks.forEach((count, s) => {
    for (let b = 0; b < count; b++) {
      const block = { ...bn, filters: widths[s]!, strides: b === 0 ? STRIDES[s] : 1, dilation: DILATIONS[s], name: `res${s + 2}_${b + 1}` };
      y = small ? basicBlock(y, block) : bottleneckBlock(y, block);
    }
  });
  return y;
}

/**
 * Builds DenseReg: [B, H, W, 3] (mean-subtracted RGB, any H and W) → [B, H, W, C] logits and residuals
 * (layout in {@link splitDenseRegOutput}).
 */
export function createDenseRegNet(options: DenseRegNetOptions = {}): tf.LayersModel {
  const trunkName = options.trunk ?? 'small';
  if (!['small', 'resnet50', 'resnet101'].includes(trunkName)) {
    throw new Error(`createDenseRegNet: trunk must be 'small', 'resnet50' or 'resnet101', got '${String(trunkName)}'`);
  }
  const head = options.head ?? 'quantized';
  if (head !== 'quantized' && head !== 'direct')
    throw new Error(`createDenseRegNet: head must be 'quantized' or 'direct', got '${String(head)}'`);
  const bins = options.bins ?? 10;
  checkPositiveInt(bins, 'createDenseRegNet: bins');
  const smallWidths = options.smallWidths ?? [16, 32, 48, 64];
  smallWidths.forEach((w, i) => checkPositiveInt(w, `createDenseRegNet: smallWidths[${i}]`));
  const seed = options.seed;
  const input = tf.input({ shape: [null, null, 3], name: 'image' });
  const features = trunk(input, { trunk: trunkName, smallWidths, seed });
  // The released model initialises classification heads with N(0, 0.01²) and regression heads with N(0, 0.001²).
  const parts =
    head === 'quantized'
      ? [
          head1x1(features, bins + 1, 0.01, seed, 'u_class'),
          head1x1(features, bins, 0.001, seed, 'u_residual'),
          head1x1(features, bins + 1, 0.01, seed, 'v_class'),
          head1x1(features, bins, 0.001, seed, 'v_residual'),
        ]
      : [head1x1(features, 2, 0.01, seed, 'foreground'), head1x1(features, 2, 0.001, seed, 'uv')];
  const heads = tf.layers.concatenate({ axis: -1, name: 'heads' }).apply(parts) as tf.SymbolicTensor;
  const output = new ResizeToMatch({ alignCorners: true, name: 'upsample' }).apply([heads, input]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `densereg_${trunkName}_${head}` });
}
