/**
 * AffWildNet (Kollias et al., arXiv 1804.10938): a per-frame CNN, FC features (optionally with the 68
 * facial landmarks appended), two stacked GRUs and a linear layer to (valence, arousal) per frame.
 */
import { tf, recurrentStack, VGG16_BLOCKS } from '@facelab/core-tensor';
import { SMALL_BLOCKS, resnetFrameFeatures, vggFrameFeatures } from './frame-cnn.js';
import { checkPositiveInt } from '@facelab/runtime';
import { checkFrames, checkRate } from './options.js';

/** Per-frame CNN of {@link createAffWildNet}. */
export type AffWildBackbone = 'vgg16' | 'resnet50' | 'small';

/** Options of {@link createAffWildNet}. */
export interface AffWildNetOptions {
  /** Frame CNN (default 'vgg16', the released model). `small` is a 4-block reduced VGG for tests and demos. */
  backbone?: AffWildBackbone;
  /** Square frame size (default 96; 32 for `small`). */
  inputSize?: number;
  /** Clip length T, or null (default) for clips of any length. */
  frames?: number | null;
  /** Units of every GRU (default 128; 32 for `small`). */
  gruUnits?: number;
  /** Stacked GRU layers (default 2). */
  gruLayers?: number;
  /** Units of the FC layer on pool5 (default 4096; 64 for `small`; unused by resnet50). */
  fcUnits?: number;
  /** Append 68×2 landmark coordinates (a second input [B, T, 136]) to the FC output (default false). */
  landmarks?: boolean;
  /** Dropout after FC and between GRUs (default 0). */
  dropout?: number;
  /** Seed of the GRU and output initialisers (default 1; the CNN's He-normal init is always seeded). */
  seed?: number;
}

/** Number of landmark coordinates the `landmarks` variant takes per frame (68 points × (x, y)). */
export const AFFWILD_LANDMARK_DIMS = 136;

/**
 * Builds AffWildNet: [B, T, H, W, 3] (and [B, T, 136] landmarks when `landmarks`) → [B, T, 2] =
 * (valence, arousal). The vgg16 default at 96×96 has 35,314,498 parameters: 13 conv 3×3 + ReLU, 5 max-pools,
 * FC 4096 + ReLU on the flattened pool5 (4608), 2×GRU(128) with TF's GRU layout (reset gate before the
 * recurrent product, one bias per gate), linear 128 → 2.
 */
export function createAffWildNet(options: AffWildNetOptions = {}): tf.LayersModel {
  const backbone = options.backbone ?? 'vgg16';
  const small = backbone === 'small';
  if (!['vgg16', 'resnet50', 'small'].includes(backbone)) {
    throw new Error(`createAffWildNet: backbone must be 'vgg16', 'resnet50' or 'small', got '${String(backbone)}'`);
  }
  const size = checkPositiveInt(options.inputSize ?? (small ? 32 : 96), 'createAffWildNet: inputSize');
  const frames = checkFrames(options.frames ?? null, 'createAffWildNet: frames');
  const gruUnits = checkPositiveInt(options.gruUnits ?? (small ? 32 : 128), 'createAffWildNet: gruUnits');
  const gruLayers = checkPositiveInt(options.gruLayers ?? 2, 'createAffWildNet: gruLayers');
  const fcUnits = checkPositiveInt(options.fcUnits ?? (small ? 64 : 4096), 'createAffWildNet: fcUnits');
  const dropout = checkRate(options.dropout ?? 0, 'createAffWildNet: dropout');

  const clip = tf.input({ shape: [frames, size, size, 3], name: 'clip' });
  const inputs = [clip];
  let features =
    backbone === 'resnet50'
      ? resnetFrameFeatures(clip).fc
      : vggFrameFeatures(clip, small ? SMALL_BLOCKS : VGG16_BLOCKS, fcUnits, dropout).fc;
  if (options.landmarks) {
    const marks = tf.input({ shape: [frames, AFFWILD_LANDMARK_DIMS], name: 'landmarks' });
    inputs.push(marks);
    features = tf.layers.concatenate({ axis: -1, name: 'fc_landmarks' }).apply([features, marks]) as tf.SymbolicTensor;
  }
  const hidden = recurrentStack(features, { cell: 'gru', units: gruUnits, layers: gruLayers, dropout, name: 'rnn', seed: options.seed ?? 1 });
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: (options.seed ?? 1) + 1 }), name: 'valence_arousal' }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name: `affwildnet_${backbone}${options.landmarks ? '_landmarks' : ''}` });
}
