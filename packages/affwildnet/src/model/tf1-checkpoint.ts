/**
 * Imports the released AffWildNet TensorFlow-1 checkpoints (dkollias/Aff-Wild-models: VGGFace-GRU and
 * ResNet-GRU, TF 1.8) into {@link createAffWildNet}'s models. Variable names follow the released code:
 * `vggface_gru.py` creates `conv_1`…`conv_13/{weights,biases}`, `linear_1/{weights,biases}` and, in scope
 * `rnn_1`, a `MultiRNNCell` of TF1 `GRUCell`s under `dynamic_rnn` plus `weights_rnn`/`biases_rnn`; the ResNet-GRU
 * is TF-slim's `resnet_v1_50` (`resnet_v1_50/conv1`, `block<s>/unit_<u>/bottleneck_v1/{shortcut,conv1,conv2,conv3}`,
 * each `weights` + `BatchNorm/{gamma,beta,moving_mean,moving_variance}`) and scope `rnn` with
 * `weights_output`/`biases_output`. TF's HWIO convolution kernels and [in, out] dense kernels are tfjs's
 * layouts; only the GRU needs converting (see {@link gruFromTf1}).
 */
import { tf } from '@facelab/core-tensor';
import { readTfCheckpoint, type TfCheckpointTensor } from '@facelab/runtime';

/** What {@link loadAffWildTf1Checkpoint} did. */
export interface AffWildTf1Report {
  /** Which released network the model was matched to. */
  network: 'vggface-gru' | 'resnet-gru';
  /** Checkpoint variables copied into the model. */
  loaded: string[];
  /** Checkpoint variables the model has no place for (optimizer slots such as `…/Adam`, `global_step`, …). */
  unused: string[];
}

/** One tfjs weight and where its value comes from. */
interface Target {
  layer: string;
  /** The weight's own name inside the layer (`kernel`, `bias`, `gamma`, …). */
  weight: string;
  /** The checkpoint variable that holds it as is. */
  tf: string;
}

const VGG_TF = { kernel: 'weights', bias: 'biases' } as const;
const BN_TF = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

function layersMatching(model: tf.LayersModel, pattern: RegExp): string[] {
  return model.layers.map((l) => l.name).filter((n) => pattern.test(n));
}

/** VGGFace-GRU: the model's convolutions in order are conv_1…conv_N; `fc` is linear_1. */
function vggTargets(model: tf.LayersModel): Target[] {
  const out: Target[] = [];
  layersMatching(model, /^vgg_b\d+_conv\d+$/).forEach((layer, i) => {
    for (const [weight, name] of Object.entries(VGG_TF)) out.push({ layer, weight, tf: `conv_${i + 1}/${name}` });
  });
  for (const [weight, name] of Object.entries(VGG_TF)) out.push({ layer: 'fc', weight, tf: `linear_1/${name}` });
  out.push({ layer: 'valence_arousal', weight: 'kernel', tf: 'rnn_1/weights_rnn' }, { layer: 'valence_arousal', weight: 'bias', tf: 'rnn_1/biases_rnn' });
  return out;
}

/** Our ResNet-50 layer prefix (`resnet50_s<s>b<b>`) → slim's unit scope. */
const slimUnit = (s: string, b: string) => `resnet_v1_50/block${s}/unit_${b}/bottleneck_v1`;

/** ResNet-GRU: TF-slim resnet_v1_50 conv + BatchNorm pairs; `rnn/weights_output` is the output layer. */
function resnetTargets(model: tf.LayersModel): Target[] {
  const out: Target[] = [];
  const convBn = (ours: string, slim: string) => {
    out.push({ layer: `${ours}_conv`, weight: 'kernel', tf: `${slim}/weights` });
    for (const w of BN_TF) out.push({ layer: `${ours}_bn`, weight: w, tf: `${slim}/BatchNorm/${w}` });
  };
  convBn('resnet50_stem', 'resnet_v1_50/conv1');
  for (const layer of layersMatching(model, /^resnet50_s\d+b\d+_(\d|short)_conv$/)) {
    const [, s, b, part] = /^resnet50_s(\d+)b(\d+)_(\d|short)_conv$/.exec(layer)!;
    convBn(layer.slice(0, -'_conv'.length), `${slimUnit(s!, b!)}/${part === 'short' ? 'shortcut' : `conv${part}`}`);
  }
  out.push({ layer: 'valence_arousal', weight: 'kernel', tf: 'rnn/weights_output' }, { layer: 'valence_arousal', weight: 'bias', tf: 'rnn/biases_output' });
  return out;
}

/** A float tensor of the checkpoint with the given shape, or a one-line error naming it. */
function floatTensor(tensors: Map<string, TfCheckpointTensor>, name: string, shape: readonly number[], what: string): Float32Array {
  const t = tensors.get(name);
  if (t === undefined) throw new Error(`loadAffWildTf1Checkpoint: the checkpoint has no '${name}' (for ${what})`);
  if (t.dtype !== 'float') throw new Error(`loadAffWildTf1Checkpoint: '${name}' is ${t.dtype}, ${what} needs float`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`loadAffWildTf1Checkpoint: '${name}' has shape [${t.shape}], ${what} needs [${shape}]`);
  }
  return t.values;
}

/**
 * TF1 `GRUCell` → tfjs GRU (reset gate before the recurrent product in both; new h = u·h + (1 − u)·c in both).
 * TF1 keeps `gates/kernel` [in + u, 2u] with columns (r, u) and `candidate/kernel` [in + u, u], rows input then
 * state; tfjs keeps `kernel` [in, 3u] and `recurrent_kernel` [u, 3u] with columns (z, r, h) = (u, r, c), and
 * one `bias` [3u].
 */
export function gruFromTf1(
  gates: { kernel: Float32Array; bias: Float32Array },
  candidate: { kernel: Float32Array; bias: Float32Array },
  inputs: number,
  units: number,
): { kernel: Float32Array; recurrentKernel: Float32Array; bias: Float32Array } {
  const u = units;
  const rows = (from: number, count: number) => {
    const out = new Float32Array(count * 3 * u);
    for (let i = 0; i < count; i++) {
      const g = (from + i) * 2 * u;
      out.set(gates.kernel.subarray(g + u, g + 2 * u), i * 3 * u); // z = TF's u
      out.set(gates.kernel.subarray(g, g + u), i * 3 * u + u); // r
      out.set(candidate.kernel.subarray((from + i) * u, (from + i + 1) * u), i * 3 * u + 2 * u); // h = TF's c
    }
    return out;
  };
  const bias = new Float32Array(3 * u);
  bias.set(gates.bias.subarray(u, 2 * u), 0);
  bias.set(gates.bias.subarray(0, u), u);
  bias.set(candidate.bias, 2 * u);
  return { kernel: rows(0, inputs), recurrentKernel: rows(inputs, u), bias };
}

/**
 * The GRU cell variables of layer `cell` (0-based) under `scope`: `<scope>/…/cell_<i>/gru_cell/{gates,candidate}/
 * {kernel,bias}` — TF 1.8 writes `<scope>/rnn/multi_rnn_cell/cell_<i>/gru_cell/…`; any scopes between are accepted.
 */
function gruCellName(tensors: Map<string, TfCheckpointTensor>, scope: string, cell: number, part: string): string {
  const pattern = new RegExp(`^${scope}/(.+/)?cell_${cell}/gru_cell/${part}$`);
  const found = [...tensors.keys()].filter((k) => pattern.test(k));
  if (found.length !== 1) {
    throw new Error(
      `loadAffWildTf1Checkpoint: expected one variable ${scope}/…/cell_${cell}/gru_cell/${part}, found ${found.length === 0 ? 'none' : found.join(', ')}`,
    );
  }
  return found[0]!;
}

/**
 * Copies a released AffWildNet TF1 checkpoint's variables (already read, e.g. by `readTfCheckpoint`) into
 * `model`, all or nothing: every weight of the model must find its variable with the same shape, else a
 * one-line error names the variable. The model is matched by its layers: `createAffWildNet({ backbone: 'vgg16' })`
 * (96×96, fcUnits 4096, gruUnits 128) for VGGFace-GRU, `createAffWildNet({ backbone: 'resnet50' })` (slim layout)
 * for ResNet-GRU; smaller models of the same family take checkpoints of their sizes.
 */
export function assignAffWildTf1Weights(model: tf.LayersModel, tensors: Map<string, TfCheckpointTensor>): AffWildTf1Report {
  const vgg = model.layers.some((l) => l.name === 'fc');
  const resnet = model.layers.some((l) => l.name === 'resnet50_stem_conv');
  if (vgg === resnet || !model.layers.some((l) => l.name === 'valence_arousal')) {
    throw new Error(`loadAffWildTf1Checkpoint: '${model.name}' is not a createAffWildNet model with a vgg16, small or resnet50 backbone`);
  }
  const values = new Map<string, Map<string, Float32Array>>(); // layer → weight → value
  const put = (layer: string, weight: string, v: Float32Array) => {
    if (!values.has(layer)) values.set(layer, new Map());
    values.get(layer)!.set(weight, v);
  };
  const shapeOf = (layer: string, weight: string) => {
    const w = model.getLayer(layer).weights.find((x) => x.originalName.split('/').pop() === weight);
    if (w === undefined) throw new Error(`loadAffWildTf1Checkpoint: layer '${layer}' has no weight '${weight}'`);
    return w.shape as number[];
  };
  const loaded: string[] = [];
  for (const t of vgg ? vggTargets(model) : resnetTargets(model)) {
    put(t.layer, t.weight, floatTensor(tensors, t.tf, shapeOf(t.layer, t.weight), `layer '${t.layer}' ${t.weight}`));
    loaded.push(t.tf);
  }
  const scope = vgg ? 'rnn_1' : 'rnn';
  layersMatching(model, /^rnn_gru\d+$/).forEach((layer, cell) => {
    const [inputs, units3] = shapeOf(layer, 'kernel') as [number, number];
    const u = units3 / 3;
    const part = (p: string, shape: number[]) => {
      const name = gruCellName(tensors, scope, cell, p);
      loaded.push(name);
      return floatTensor(tensors, name, shape, `GRU layer '${layer}'`);
    };
    const gru = gruFromTf1(
      { kernel: part('gates/kernel', [inputs + u, 2 * u]), bias: part('gates/bias', [2 * u]) },
      { kernel: part('candidate/kernel', [inputs + u, u]), bias: part('candidate/bias', [u]) },
      inputs,
      u,
    );
    put(layer, 'kernel', gru.kernel);
    put(layer, 'recurrent_kernel', gru.recurrentKernel);
    put(layer, 'bias', gru.bias);
  });
  // Every weight is found and checked before the first is written: all or nothing.
  const ordered = [...values].map(([layer, weights]) => {
    const target = model.getLayer(layer);
    const list = target.weights.map((w) => {
      const v = weights.get(w.originalName.split('/').pop()!);
      if (v === undefined) throw new Error(`loadAffWildTf1Checkpoint: layer '${layer}' weight '${w.originalName}' has no checkpoint variable`);
      return { v, shape: w.shape as number[] };
    });
    return { target, list };
  });
  for (const { target, list } of ordered) {
    const tensorsIn = list.map(({ v, shape }) => tf.tensor(v, shape, 'float32'));
    target.setWeights(tensorsIn);
    tf.dispose(tensorsIn);
  }
  const used = new Set(loaded);
  return { network: vgg ? 'vggface-gru' : 'resnet-gru', loaded, unused: [...tensors.keys()].filter((k) => !used.has(k)) };
}

/**
 * Reads the TF1 checkpoint at `prefix` (the path without `.index`, e.g. `affwildnet-vggface-gru/model.ckpt-…`)
 * with `@facelab/runtime`'s `readTfCheckpoint` and copies it into `model` with {@link assignAffWildTf1Weights}.
 */
export async function loadAffWildTf1Checkpoint(model: tf.LayersModel, prefix: string): Promise<AffWildTf1Report> {
  return assignAffWildTf1Weights(model, await readTfCheckpoint(prefix));
}
