/**
 * Sequence models: a per-frame CNN over [B, T, H, W, C] clips and stacked GRU/LSTM layers over its features
 * (the AffWildNet / End2You CNN-RNN layout).
 */
import { tf } from '../tf.js';
import { FusedGru, type FusedGruInitializer } from './fused-gru.js';
import { GruGateBias } from './gru-gate-bias.js';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';
import { FoldTimeLayer, UnfoldTimeLayer } from './time-fold.js';

/** Options of {@link timeDistributedCnn}. */
export interface TimeDistributedCnnOptions {
  /** A model taking one frame [B, H, W, C]; its layers and weights are shared by every time step. */
  cnn: tf.LayersModel;
  /**
   * `'fold'` (default): reshape to [B·T, H, W, C], run `cnn` once, reshape back — one batched call, batch
   * norm over all B·T frames. `'timeDistributed'`: tfjs's TimeDistributed wrapper, which calls `cnn` once per
   * time step (batch norm over B frames per step).
   */
  impl?: 'fold' | 'timeDistributed';
  /** Layer-name prefix: `<name>_fold`, `<name>_unfold` (fold) or `<name>` (the TimeDistributed layer). */
  name: string;
}

/** Applies `cnn` to every frame of a [B, T, H, W, C] clip → [B, T, ...cnn output]. */
export function timeDistributedCnn(x: tf.SymbolicTensor, options: TimeDistributedCnnOptions): tf.SymbolicTensor {
  const { cnn, name, impl = 'fold' } = options;
  if (x.shape.length !== 5) {
    throw new Error(
      `timeDistributedCnn '${name}': input must be 5-D [batch, time, height, width, channels], ` +
        `got shape ${JSON.stringify(x.shape)}`,
    );
  }
  if (cnn.inputs.length !== 1) {
    throw new Error(`timeDistributedCnn '${name}': cnn must have exactly one input, it has ${cnn.inputs.length}`);
  }
  const frame = x.shape.slice(2);
  const expected = cnn.inputs[0]!.shape.slice(1);
  if (expected.some((d, i) => d != null && d !== frame[i])) {
    throw new Error(
      `timeDistributedCnn '${name}': frames have shape ${JSON.stringify(frame)} but cnn '${
        cnn.name
      }' takes ${JSON.stringify(expected)}`,
    );
  }
  if (impl === 'timeDistributed') return tf.layers.timeDistributed({ layer: cnn, name }).apply(x) as tf.SymbolicTensor;
  if (impl !== 'fold')
    throw new Error(`timeDistributedCnn '${name}': impl must be 'fold' or 'timeDistributed', got '${String(impl)}'`);
  const folded = new FoldTimeLayer({ name: `${name}_fold` }).apply(x) as tf.SymbolicTensor;
  const features = cnn.apply(folded) as tf.SymbolicTensor;
  return new UnfoldTimeLayer({ name: `${name}_unfold` }).apply([features, x]) as tf.SymbolicTensor;
}

/** Options of {@link recurrentStack}. */
export interface RecurrentStackOptions {
  /** Recurrent cell type. */
  cell: 'gru' | 'lstm';
  /** Hidden units of every layer. */
  units: number;
  /** Number of stacked layers. */
  layers: number;
  /** Whether the last layer returns every step [B, T, units] (default) or only the last one [B, units]. */
  returnSequences?: boolean;
  /**
   * Dropout rate between stacked layers (default 0), on each layer's output but the last, as PyTorch's
   * `nn.GRU(dropout=…)`. Its masks come from tfjs's global random source, not from a facelab seed.
   */
  dropout?: number;
  /** Layer-name prefix: `<name>_<cell><i>`, `<name>_drop<i>`. */
  name: string;
  /** Seed of the weight initialisers (each layer's derived from it and its name); unseeded by default. */
  seed?: number;
  /**
   * GRU only: initial bias of the update and reset gates (default 0, Keras's and tfjs's; 1 is TF1 `GRUCell`'s,
   * see {@link GruGateBias}). The candidate's bias starts at 0 either way; when set, it replaces `init`'s bias.
   */
  gruGateBias?: number;
  /**
   * Weight initialisation: 'keras' (default: Glorot-uniform kernel, orthogonal recurrent kernel, zero bias) or
   * 'pytorch' (`nn.GRU`/`nn.LSTM`: every kernel and bias U(−1/√units, 1/√units)). tfjs's orthogonal
   * initialiser is slow for wide layers (seconds at 64 units, minutes at 128), 'pytorch' is not.
   */
  init?: 'keras' | 'pytorch';
}

/**
 * Stacked GRU or LSTM layers over a [B, T, F] sequence. Gates use the logistic sigmoid (PyTorch's and current
 * Keras's choice; tfjs defaults to the hard sigmoid); the GRU applies its reset gate before the recurrent
 * product (the only convention tfjs implements).
 */
export function recurrentStack(x: tf.SymbolicTensor, options: RecurrentStackOptions): tf.SymbolicTensor {
  const { cell, units, layers, returnSequences = true, dropout = 0, name } = options;
  const label = `recurrentStack '${name}'`;
  if (x.shape.length !== 3)
    throw new Error(`${label}: input must be 3-D [batch, time, features], got shape ${JSON.stringify(x.shape)}`);
  if (cell !== 'gru' && cell !== 'lstm')
    throw new Error(`${label}: cell must be 'gru' or 'lstm', got '${String(cell)}'`);
  checkPositiveInt(units, `${label}: units`);
  checkPositiveInt(layers, `${label}: layers`);
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`${label}: dropout must be in [0, 1), got ${dropout}`);
  if (options.gruGateBias !== undefined && cell !== 'gru') throw new Error(`${label}: gruGateBias applies to GRU cells only`);
  const gateBias = (options.gruGateBias ?? 0) === 0 ? undefined : (new GruGateBias({ value: options.gruGateBias! }) as unknown as FusedGruInitializer);
  const { init = 'keras' } = options;
  if (init !== 'keras' && init !== 'pytorch') throw new Error(`${label}: init must be 'keras' or 'pytorch', got '${String(init)}'`);
  const bound = 1 / Math.sqrt(units);
  const uniform = (layer: string, what: string) =>
    tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: layerSeed(options.seed, `${layer}/${what}`) });
  let y = x;
  for (let i = 1; i <= layers; i++) {
    const last = i === layers;
    const layer = `${name}_${cell}${i}`;
    const args = {
      units,
      returnSequences: !last || returnSequences,
      ...(init === 'pytorch'
        ? {
            kernelInitializer: uniform(layer, 'kernel'),
            recurrentInitializer: uniform(layer, 'recurrent'),
            biasInitializer: uniform(layer, 'bias'),
          }
        : {
            kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(options.seed, `${layer}/kernel`) }),
            recurrentInitializer: tf.initializers.orthogonal({ seed: layerSeed(options.seed, `${layer}/recurrent`) }),
          }),
      name: layer,
    };
    // The GRU is tfjs's (same weights and equations) run as one fused recurrence kernel per pass.
    const rnn =
      cell === 'gru'
        ? new FusedGru(gateBias ? { ...args, biasInitializer: gateBias } : args)
        : tf.layers.lstm({ ...args, recurrentActivation: 'sigmoid' });
    y = rnn.apply(y) as tf.SymbolicTensor;
    if (!last && dropout > 0)
      y = tf.layers.dropout({ rate: dropout, name: `${name}_drop${i}` }).apply(y) as tf.SymbolicTensor;
  }
  return y;
}
