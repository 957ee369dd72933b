/**
 * End2You's CNN-RNN models (paper §3; upstream `models/{audio,visual,multimodal}/*_rnn_model.py`): a frame
 * encoder per modality applied to every step of [B, S, …] inputs, fused when there are several, a recurrent
 * stack over the steps and a dense head of any size at every step. Inputs, in this order when present:
 *   audio [B, S, T] raw samples, visual [B, S, H, W, 3] frames, physio [B, S, T_p, C] signals.
 * Sequences of a batch may be padded at the end: the recurrence runs forward, so padding never reaches a
 * valid step, and the losses and metrics skip padded steps by their mask.
 */
import { FoldTimeLayer, UnfoldTimeLayer, recurrentStack, tf } from '@facelab/core-tensor';
import { checkPositiveInt, layerSeed } from '@facelab/runtime';
import { emo16Features } from './emo16.js';
import { emo18Features } from './emo18.js';
import { fuseModalities, type FusionMethod } from './fusion.js';
import { physioFeatures } from './physio.js';
import { visualFeatures, type VisualNet } from './visual.js';
import { zhao19Features } from './zhao19.js';

/** The audio encoders. */
export type AudioNet = 'emo16' | 'emo18' | 'zhao19';

/** Audio encoder names, for argument checks. */
export const AUDIO_NETS: readonly AudioNet[] = ['emo16', 'emo18', 'zhao19'];

/** The modalities a model reads, in input order. */
export type Modality = 'audio' | 'visual' | 'physio';

/** Modality names in input order. */
export const MODALITIES: readonly Modality[] = ['audio', 'visual', 'physio'];

/** The recurrent part: cell, hidden units, stacked layers. */
export interface RnnOptions {
  cell: 'gru' | 'lstm';
  units: number;
  layers: number;
}

/** Options of {@link createEnd2YouModel}. */
export interface End2YouModelOptions {
  /** Audio input: encoder and samples per step (e.g. 640 = 40 ms at 16 kHz). */
  audio?: { net: AudioNet; samples: number; emo16UpstreamView?: boolean; inputDropout?: number };
  /** Visual input: encoder and frame size (upstream: 96). */
  visual?: { net: VisualNet; size: number };
  /** Physiological input: samples per step and channels. */
  physio?: { samples: number; channels: number };
  /** How several modalities are fused (default 'concat'). */
  fusion?: FusionMethod;
  /**
   * Recurrent stack (defaults as upstream: audio and physio LSTM 2×256, visual GRU 2×256, several
   * modalities LSTM 2×512).
   */
  rnn?: Partial<RnnOptions>;
  /** Outputs per step: regression targets, or class logits. */
  outputs: number;
  seed?: number;
  name?: string;
}

/** The recurrent stack upstream uses for a combination of modalities. */
export function defaultRnn(modalities: readonly Modality[]): RnnOptions {
  if (modalities.length > 1) return { cell: 'lstm', units: 512, layers: 2 };
  return { cell: modalities[0] === 'visual' ? 'gru' : 'lstm', units: 256, layers: 2 };
}

/** The modalities configured in `options`, in input order. */
export function modalitiesOf(options: Pick<End2YouModelOptions, Modality>): Modality[] {
  return MODALITIES.filter((m) => options[m] !== undefined);
}

/** Runs a per-frame encoder over every step of a [B, S, …] input. */
function perStep(
  input: tf.SymbolicTensor,
  name: string,
  encode: (frames: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.SymbolicTensor {
  const folded = new FoldTimeLayer({ name: `${name}_fold` }).apply(input) as tf.SymbolicTensor;
  return new UnfoldTimeLayer({ name: `${name}_unfold` }).apply([encode(folded), input]) as tf.SymbolicTensor;
}

/** Builds an End2You model (see the module comment) for the configured modalities. */
export function createEnd2YouModel(options: End2YouModelOptions): tf.LayersModel {
  const { seed, name = 'end2you', fusion = 'concat' } = options;
  const modalities = modalitiesOf(options);
  if (modalities.length === 0) throw new Error('createEnd2YouModel: configure at least one of audio, visual, physio');
  checkPositiveInt(options.outputs, 'createEnd2YouModel: outputs');
  const inputs: tf.SymbolicTensor[] = [];
  const features: tf.SymbolicTensor[] = [];
  const { audio, visual, physio } = options;
  if (audio) {
    if (!(AUDIO_NETS as readonly string[]).includes(audio.net)) {
      throw new Error(`createEnd2YouModel: audio.net must be one of ${AUDIO_NETS.join(', ')}, got '${audio.net}'`);
    }
    checkPositiveInt(audio.samples, 'createEnd2YouModel: audio.samples');
    const x = tf.input({ shape: [null, audio.samples], name: 'audio' });
    inputs.push(x);
    features.push(
      perStep(x, 'audio', (f) =>
        audio.net === 'emo16'
          ? emo16Features(f, { seed, upstreamView: audio.emo16UpstreamView, inputDropout: audio.inputDropout })
          : audio.net === 'emo18'
            ? emo18Features(f, { seed })
            : zhao19Features(f, { seed }),
      ),
    );
  }
  if (visual) {
    checkPositiveInt(visual.size, 'createEnd2YouModel: visual.size');
    const x = tf.input({ shape: [null, visual.size, visual.size, 3], name: 'visual' });
    inputs.push(x);
    features.push(perStep(x, 'visual', (f) => visualFeatures(f, { net: visual.net, seed })));
  }
  if (physio) {
    checkPositiveInt(physio.samples, 'createEnd2YouModel: physio.samples');
    checkPositiveInt(physio.channels, 'createEnd2YouModel: physio.channels');
    const x = tf.input({ shape: [null, physio.samples, physio.channels], name: 'physio' });
    inputs.push(x);
    features.push(perStep(x, 'physio', (f) => physioFeatures(f, { seed })));
  }
  const fused = features.length > 1 ? fuseModalities(features, fusion, { seed }) : features[0]!;
  const rnn = { ...defaultRnn(modalities), ...options.rnn };
  // PyTorch's LSTM/GRU initialisation, as upstream (and tfjs's orthogonal initialiser takes minutes at 256 units).
  const hidden = recurrentStack(fused, { ...rnn, name: 'rnn', seed, init: 'pytorch' });
  const head = tf.layers
    .dense({
      units: options.outputs,
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'head/kernel') }),
      name: 'head',
    })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: head, name });
}
