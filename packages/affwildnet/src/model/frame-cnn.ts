/**
 * Per-frame CNNs of the AffWildNet family on [B, T, H, W, 3] clips. Time is folded into the batch
 * ([B·T, H, W, 3]) so the CNN runs as one batched call, and every tap a head needs (FC, pool5, conv5_3) is
 * unfolded back to a [B, T, F] sequence.
 */
import { tf, FoldTimeLayer, UnfoldTimeLayer, resnet50Features, type ResnetLayout } from '@facelab/core-tensor';

/** Per-frame feature sequences [B, T, F]: `fc` always; `pool5` and `conv5_3` (flattened) for VGG trunks. */
export interface FrameFeatures {
  fc: tf.SymbolicTensor;
  pool5?: tf.SymbolicTensor;
  conv5_3?: tf.SymbolicTensor;
}

/** Convolution blocks of the `small` backbone (a reduced VGG for tests and the demo). */
export const SMALL_BLOCKS: readonly (readonly number[])[] = [[8], [16], [32], [32]];

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

function unfold(x: tf.SymbolicTensor, clip: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return apply(new UnfoldTimeLayer({ name }), [x, clip]);
}

/**
 * VGG trunk on every frame: conv3×3 + ReLU blocks with 2×2 max-pools; conv5_3 is the last convolution and
 * pool5 the last pool; FC + ReLU (+ dropout) on the flattened pool5. With VGG-16 blocks at 96×96 the taps are
 * conv5_3 18432-d, pool5 4608-d and FC `fcUnits`-d.
 */
export function vggFrameFeatures(
  clip: tf.SymbolicTensor,
  blocks: readonly (readonly number[])[],
  fcUnits: number,
  dropout: number,
): FrameFeatures {
  const frames = apply(new FoldTimeLayer({ name: 'fold' }), clip);
  // Seeded He-normal init (ReLU nets; also what lets the no-BN small trunk generalise on synthetic faces).
  let seed = 10;
  const he = () => tf.initializers.heNormal({ seed: seed++ });
  let x = frames; // running tensor
  let conv = frames; // the last convolution's output (conv5_3)
  blocks.forEach((convs, i) => {
    convs.forEach((filters, j) => {
      conv = x = apply(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: he(), name: `vgg_b${i + 1}_conv${j + 1}` }), x);
    });
    x = apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: `vgg_b${i + 1}_pool` }), x);
  });
  const pool5 = apply(tf.layers.flatten({ name: 'pool5_flat' }), x);
  let fc = apply(tf.layers.dense({ units: fcUnits, activation: 'relu', kernelInitializer: he(), name: 'fc' }), pool5);
  if (dropout > 0) fc = apply(tf.layers.dropout({ rate: dropout, name: 'fc_drop' }), fc);
  const conv5 = apply(tf.layers.flatten({ name: 'conv5_3_flat' }), conv);
  return {
    fc: unfold(fc, clip, 'fc_seq'),
    pool5: unfold(pool5, clip, 'pool5_seq'),
    conv5_3: unfold(conv5, clip, 'conv5_3_seq'),
  };
}

/**
 * ResNet-50 on every frame: 2048-d globally pooled features (fed to the GRUs directly, as in the paper), in
 * `layout` (the released ResNet-GRU is TF-slim's `resnet_v1_50`).
 */
export function resnetFrameFeatures(clip: tf.SymbolicTensor, layout: ResnetLayout): FrameFeatures {
  const frames = apply(new FoldTimeLayer({ name: 'fold' }), clip);
  return { fc: unfold(resnet50Features(frames, { name: 'resnet50', layout }), clip, 'resnet50_seq') };
}
