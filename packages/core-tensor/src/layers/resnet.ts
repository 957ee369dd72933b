/** ResNet-50 feature extractor (He et al. 2016), the backbone AffWildNet puts under its recurrent layers. */
import { tf } from '../tf.js';
import { assertImageTensor } from './checks.js';
import { convBnAct } from './conv-bn-act.js';
import { bottleneckBlock } from './residual.js';

/**
 * Layout of {@link resnet50Features}; the parameter shapes are the same in both.
 * - `'torchvision'`: max-pool 3×3/2 with one pixel of padding; the first block of stages 2–4 strides, and every
 *   block that changes shape has a conv1×1 + BN projection shortcut.
 * - `'slim'`: TF-slim `resnet_v1_50` as `resnet_v1.resnet_arg_scope()` builds it: max-pool 3×3/2 'SAME' (TF
 *   padding, extra pixel bottom/right); the *last* block of stages 1–3 strides, and its shortcut subsamples
 *   (every second pixel, no weights); batch-norm momentum (slim's decay) 0.997.
 */
export type ResnetLayout = 'torchvision' | 'slim';

/** Options of {@link resnet50Features}. */
export interface Resnet50FeaturesOptions {
  /** `'avg'` (default) ends in global average pooling → [B, 2048]; `'none'` returns the [B, H/32, W/32, 2048] map. */
  pooling?: 'avg' | 'none';
  /** Stride placement, pool padding and shortcuts (default `'torchvision'`). */
  layout?: ResnetLayout;
  /** Batch-norm momentum, Keras convention (default 0.99; 0.997 with the slim layout). */
  bnMomentum?: number;
  /** Batch-norm epsilon (default 1e-5). */
  bnEpsilon?: number;
  /** Layer-name prefix. */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
}

/** Bottleneck blocks per stage and their widths: ResNet-50's [3, 4, 6, 3] × [64, 128, 256, 512]. */
const RESNET50_STAGES: readonly { blocks: number; filters: number }[] = [
  { blocks: 3, filters: 64 },
  { blocks: 4, filters: 128 },
  { blocks: 6, filters: 256 },
  { blocks: 3, filters: 512 },
];

/**
 * ResNet-50 without its classifier: conv7×7/2 (pad 3)-BN-ReLU, max-pool 3×3/2, four stages of bottleneck blocks
 * ([3, 4, 6, 3] × [64, 128, 256, 512]), then global average pooling to 2048-d. Where the stages stride and how
 * the pool pads follow `layout` ({@link ResnetLayout}).
 */
export function resnet50Features(x: tf.SymbolicTensor, options: Resnet50FeaturesOptions): tf.SymbolicTensor {
  const { name, pooling = 'avg', layout = 'torchvision' } = options;
  assertImageTensor(x, `resnet50Features '${name}'`);
  if (pooling !== 'avg' && pooling !== 'none') {
    throw new Error(`resnet50Features '${name}': pooling must be 'avg' or 'none', got '${String(pooling)}'`);
  }
  if (layout !== 'torchvision' && layout !== 'slim') {
    throw new Error(`resnet50Features '${name}': layout must be 'torchvision' or 'slim', got '${String(layout)}'`);
  }
  const slim = layout === 'slim';
  const bn = { bnMomentum: options.bnMomentum ?? (slim ? 0.997 : 0.99), bnEpsilon: options.bnEpsilon ?? 1e-5, seed: options.seed };
  let y = convBnAct(x, { ...bn, filters: 64, kernelSize: 7, strides: 2, padding: 3, name: `${name}_stem` });
  if (!slim) {
    // Zero padding equals PyTorch's −∞ padding here: the input is a ReLU output, never negative.
    y = tf.layers
      .zeroPadding2d({
        padding: [
          [1, 1],
          [1, 1],
        ],
        name: `${name}_pool_pad`,
      })
      .apply(y) as tf.SymbolicTensor;
  }
  y = tf.layers
    .maxPooling2d({ poolSize: 3, strides: 2, padding: slim ? 'same' : 'valid', name: `${name}_pool` })
    .apply(y) as tf.SymbolicTensor;
  RESNET50_STAGES.forEach((stage, s) => {
    for (let b = 0; b < stage.blocks; b++) {
      const strided = slim ? s < 3 && b === stage.blocks - 1 : s > 0 && b === 0;
      y = bottleneckBlock(y, { ...bn, filters: stage.filters, strides: strided ? 2 : 1, subsampleShortcut: slim, name: `${name}_s${s + 1}b${b + 1}` });
    }
  });
  if (pooling === 'none') return y;
  return tf.layers.globalAveragePooling2d({ name: `${name}_gap` }).apply(y) as tf.SymbolicTensor;
}
