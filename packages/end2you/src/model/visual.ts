/**
 * End2You's visual frame encoders (upstream `models/visual/visual_model.py`: a torchvision network without its
 * classifier): ResNet-18 (built here from core-tensor's basic block), ResNet-50 (core-tensor's), and a small
 * 3-layer CNN for tests and demos. Frames are [N, H, W, 3] (96×96 in upstream's HDF5 files).
 */
import { basicBlock, convBnAct, resnet50Features, tf } from '@facelab/core-tensor';

/** The visual encoders {@link visualFeatures} builds. */
export type VisualNet = 'resnet18' | 'resnet50' | 'small';

/** Visual encoder names, for argument checks. */
export const VISUAL_NETS: readonly VisualNet[] = ['resnet18', 'resnet50', 'small'];

/** Options of {@link visualFeatures}. */
export interface VisualOptions {
  net: VisualNet;
  name?: string;
  seed?: number;
}

/** Features per frame: ResNet-18 512, ResNet-50 2048, small 64. */
export const VISUAL_FEATURES: Readonly<Record<VisualNet, number>> = { resnet18: 512, resnet50: 2048, small: 64 };

/** PyTorch's batch-norm momentum 0.1 in Keras's convention. */
const BN = { bnMomentum: 0.9, bnEpsilon: 1e-5 } as const;

/** ResNet-18 without its classifier: stem conv7×7/2, max-pool 3×3/2, 4 stages of 2 basic blocks, global average pool → 512. */
function resnet18Features(x: tf.SymbolicTensor, name: string, seed: number | undefined): tf.SymbolicTensor {
  let y = convBnAct(x, { ...BN, seed, filters: 64, kernelSize: 7, strides: 2, padding: 3, name: `${name}_stem` });
  // Zero padding equals PyTorch's −∞ padding here: the input is a ReLU output, never negative.
  y = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: `${name}_pool_pad` }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: `${name}_pool` }).apply(y) as tf.SymbolicTensor;
  [64, 128, 256, 512].forEach((filters, s) => {
    for (let b = 0; b < 2; b++) {
      y = basicBlock(y, { ...BN, seed, filters, strides: s > 0 && b === 0 ? 2 : 1, name: `${name}_s${s + 1}b${b + 1}` });
    }
  });
  return tf.layers.globalAveragePooling2d({ name: `${name}_gap` }).apply(y) as tf.SymbolicTensor;
}

/** Three conv3×3/2-BN-ReLU layers (16, 32, 64 channels) and a global average pool → 64. */
function smallFeatures(x: tf.SymbolicTensor, name: string, seed: number | undefined): tf.SymbolicTensor {
  let y = x;
  [16, 32, 64].forEach((filters, i) => {
    y = convBnAct(y, { ...BN, seed, filters, kernelSize: 3, strides: 2, padding: 1, name: `${name}_c${i + 1}` });
  });
  return tf.layers.globalAveragePooling2d({ name: `${name}_gap` }).apply(y) as tf.SymbolicTensor;
}

/** Features of frames [N, H, W, 3] → [N, {@link VISUAL_FEATURES}[net]]. */
export function visualFeatures(frames: tf.SymbolicTensor, options: VisualOptions): tf.SymbolicTensor {
  const { net, name = net, seed } = options;
  if (frames.shape.length !== 4 || frames.shape[3] !== 3) {
    throw new Error(`visual '${name}': frames must be [N, height, width, 3], got ${JSON.stringify(frames.shape)}`);
  }
  if (net === 'resnet18') return resnet18Features(frames, name, seed);
  if (net === 'resnet50') return resnet50Features(frames, { name, seed, ...BN });
  if (net === 'small') return smallFeatures(frames, name, seed);
  throw new Error(`visual: net must be one of ${VISUAL_NETS.join(', ')}, got '${String(net)}'`);
}
