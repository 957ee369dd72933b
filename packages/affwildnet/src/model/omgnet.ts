/**
 * OMG-Emotion networks (Kollias & Zafeiriou, arXiv 1805.01452): AffWildNet's VGG-16 features from several
 * layers feed recurrent subnets. `1rnn` concatenates FC and pool5 into one 2-layer GRU; `3rnn` gives FC,
 * conv5_3 and pool5 a 2-layer GRU each and maps their concatenated outputs to (valence, arousal).
 */
import { tf, recurrentStack, VGG16_BLOCKS } from '@facelab/core-tensor';
import { SMALL_BLOCKS, vggFrameFeatures } from './frame-cnn.js';
import { checkPositiveInt } from '@facelab/runtime';
import { checkFrames, checkRate } from './options.js';

/** Variant of {@link createOmgNet}. */
export type OmgVariant = '1rnn' | '3rnn';

/** Options of {@link createOmgNet}. */
export interface OmgNetOptions {
  /** '1rnn' (default): concat[FC, pool5] → 2×GRU; '3rnn': one 2×GRU subnet on each of FC, conv5_3, pool5. */
  variant?: OmgVariant;
  /** VGG-16 (default) or the reduced `small` trunk (for tests). */
  backbone?: 'vgg16' | 'small';
  /** Square frame size (default 96; 32 for `small`). */
  inputSize?: number;
  /** Clip length T, or null (default) for any length. */
  frames?: number | null;
  /** Units of every GRU (default 128; 32 for `small`). */
  gruUnits?: number;
  /** Units of the FC layer (default 4096; 64 for `small`). */
  fcUnits?: number;
  /** Dropout after the FC layer (default 0; AffWildNet's released training used 0.5). */
  fcDropout?: number;
  /** Dropout between the stacked GRUs of each subnet (default 0). */
  rnnDropout?: number;
  /** Initial GRU gate bias (default 0, Keras's; 1 is TF1 `GRUCell`'s). */
  gruGateBias?: number;
  /** Seed of the GRU and output initialisers (default 1, as createAffWildNet; the CNN's init is always seeded). */
  seed?: number;
}

/**
 * Builds an OMG-Emotion network [B, T, H, W, 3] → [B, T, 2]. At 96×96 with h = 128: 1rnn has 37,083,970
 * parameters, 3rnn 44,458,818 (subnet outputs concatenated in the order conv5_3, pool5, FC).
 */
export function createOmgNet(options: OmgNetOptions = {}): tf.LayersModel {
  const variant = options.variant ?? '1rnn';
  if (variant !== '1rnn' && variant !== '3rnn') throw new Error(`createOmgNet: variant must be '1rnn' or '3rnn', got '${String(variant)}'`);
  const backbone = options.backbone ?? 'vgg16';
  if (backbone !== 'vgg16' && backbone !== 'small') throw new Error(`createOmgNet: backbone must be 'vgg16' or 'small', got '${String(backbone)}'`);
  const small = backbone === 'small';
  const size = checkPositiveInt(options.inputSize ?? (small ? 32 : 96), 'createOmgNet: inputSize');
  const frames = checkFrames(options.frames ?? null, 'createOmgNet: frames');
  const units = checkPositiveInt(options.gruUnits ?? (small ? 32 : 128), 'createOmgNet: gruUnits');
  const fcUnits = checkPositiveInt(options.fcUnits ?? (small ? 64 : 4096), 'createOmgNet: fcUnits');
  const fcDropout = checkRate(options.fcDropout ?? 0, 'createOmgNet: fcDropout');
  const rnnDropout = checkRate(options.rnnDropout ?? 0, 'createOmgNet: rnnDropout');
  const seed = options.seed ?? 1;

  const clip = tf.input({ shape: [frames, size, size, 3], name: 'clip' });
  const f = vggFrameFeatures(clip, small ? SMALL_BLOCKS : VGG16_BLOCKS, fcUnits, fcDropout);
  const rnn = (x: tf.SymbolicTensor, name: string) =>
    recurrentStack(x, { cell: 'gru', units, layers: 2, dropout: rnnDropout, gruGateBias: options.gruGateBias, seed, name });
  let hidden: tf.SymbolicTensor;
  if (variant === '1rnn') {
    const both = tf.layers.concatenate({ axis: -1, name: 'fc_pool5' }).apply([f.fc, f.pool5!]) as tf.SymbolicTensor;
    hidden = rnn(both, 'rnn');
  } else {
    const subnets = [rnn(f.conv5_3!, 'rnn_conv5_3'), rnn(f.pool5!, 'rnn_pool5'), rnn(f.fc, 'rnn_fc')];
    hidden = tf.layers.concatenate({ axis: -1, name: 'subnets' }).apply(subnets) as tf.SymbolicTensor;
  }
  const out = tf.layers
    .dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), name: 'valence_arousal' })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: clip, outputs: out, name: `omgnet_${variant}` });
}
