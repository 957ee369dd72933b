/**
 * Converters of the recurrent layers (tfjs GRU and LSTM, core-tensor's FusedGru) to ONNX GRU and LSTM.
 *
 * GRU: tfjs and ONNX both order the gates z, r, h, and tfjs's GRU applies the reset gate before the recurrent
 * product — ONNX's `linear_before_reset = 0`; both mix h = z∘h₋ + (1 − z)∘h̃. So W = kernelᵀ [3u, F],
 * R = recurrent_kernelᵀ [3u, u], and B = [bias, 0] (tfjs has one bias, ONNX an input and a recurrent one).
 * LSTM: Keras orders the gates i, f, c, o and ONNX i, o, f, c; the blocks are permuted.
 * ONNX recurrences are time-major: [B, T, F] is transposed to [T, B, F] and back.
 */
import type { OnnxAttr } from '@facelab/runtime';
import type { tf } from '../tf.js';
import type { ExportContext, Shape, Value } from './context.js';
import type { LayerConverter } from './converter.js';
import { config, transposeData, weight, type WeightData } from './weights.js';

/** Keras activation names → ONNX RNN activation names (ONNX's HardSigmoid defaults are Keras's 0.2x + 0.5). */
const RNN_ACTIVATIONS: Record<string, string> = { sigmoid: 'Sigmoid', hardSigmoid: 'HardSigmoid', tanh: 'Tanh', relu: 'Relu' };

function rnnActivation(layer: tf.layers.Layer, name: unknown): string {
  const a = RNN_ACTIVATIONS[String(name)];
  if (a === undefined) throw new Error(`ONNX export: recurrent layer '${layer.name}' activation '${String(name)}' is not supported`);
  return a;
}

function checkPlain(layer: tf.layers.Layer, c: Record<string, unknown>): void {
  for (const key of ['goBackwards', 'stateful', 'returnState']) {
    if (c[key] === true) throw new Error(`ONNX export: recurrent layer '${layer.name}' with ${key} is not supported`);
  }
  if (c.useBias === false) throw new Error(`ONNX export: recurrent layer '${layer.name}' without bias is not supported`);
}

/** Permutes the `gates` column blocks of a [rows, gates·u] matrix (or a [gates·u] vector) into `order`. */
function gateBlocks(w: WeightData, gates: number, order: number[]): Float32Array {
  const cols = w.shape[w.shape.length - 1]!;
  const rows = w.data.length / cols;
  const u = cols / gates;
  const out = new Float32Array(w.data.length);
  for (let r = 0; r < rows; r++) {
    order.forEach((src, dst) => out.set(w.data.subarray(r * cols + src * u, r * cols + (src + 1) * u), r * cols + dst * u));
  }
  return out;
}

/** Runs ONNX `op` over a [B, T, F] value; returns [B, T, u] (returnSequences) or the last state [B, u]. */
function recurrence(
  ctx: ExportContext,
  op: 'GRU' | 'LSTM',
  x: Value,
  weights: { W: Float32Array; R: Float32Array; B: Float32Array; gates: number; units: number; features: number },
  attrs: Record<string, OnnxAttr>,
  returnSequences: boolean,
  out: Shape,
): Value {
  const g = ctx.g;
  const { gates, units, features } = weights;
  const timeMajor = g.node('Transpose', [ctx.logical(x).name], { perm: [1, 0, 2] });
  const [y, yh] = g.nodeOutputs(op, [
    timeMajor,
    g.float32Tensor(weights.W, [1, gates * units, features]),
    g.float32Tensor(weights.R, [1, gates * units, units]),
    g.float32Tensor(weights.B, [1, 2 * gates * units]),
  ], 2, { hidden_size: units, ...attrs });
  const name = returnSequences
    ? g.node('Transpose', [ctx.squeeze(y!, [1])], { perm: [1, 0, 2] })
    : ctx.squeeze(yh!, [0]);
  return { name, shape: out, layout: 'logical' };
}

/** tfjs GRU and core-tensor's FusedGru (the same weights and equations). */
const Gru: LayerConverter = (ctx, layer, [x], out) => {
  const c = config(layer);
  checkPlain(layer, c);
  if (c.resetAfter === true) throw new Error(`ONNX export: GRU '${layer.name}' with resetAfter is not supported`);
  const kernel = weight(layer, 'kernel');
  const recurrent = weight(layer, 'recurrent_kernel');
  const bias = weight(layer, 'bias');
  const [features, cols] = kernel.shape as [number, number];
  const units = cols / 3;
  const B = new Float32Array(6 * units);
  B.set(bias.data);
  // FusedGru has no activation options (sigmoid gates, tanh candidate); tfjs's GRU reads them from its config.
  const fused = layer.getClassName() === 'FacelabFusedGru';
  const activations = [rnnActivation(layer, fused ? 'sigmoid' : c.recurrentActivation), rnnActivation(layer, fused ? 'tanh' : c.activation)];
  return recurrence(
    ctx,
    'GRU',
    x!,
    {
      W: transposeData(kernel.data, kernel.shape, [1, 0]).data,
      R: transposeData(recurrent.data, recurrent.shape, [1, 0]).data,
      B,
      gates: 3,
      units,
      features,
    },
    { linear_before_reset: 0, activations: { strings: activations } },
    c.returnSequences === true,
    out,
  );
};

/** Keras LSTM gate blocks (i, f, c, o) in ONNX's order (i, o, f, c). */
const LSTM_ORDER = [0, 3, 1, 2];

const Lstm: LayerConverter = (ctx, layer, [x], out) => {
  const c = config(layer);
  checkPlain(layer, c);
  const kernel = weight(layer, 'kernel');
  const recurrent = weight(layer, 'recurrent_kernel');
  const bias = weight(layer, 'bias');
  const [features, cols] = kernel.shape as [number, number];
  const units = cols / 4;
  const reorder = (w: WeightData) => transposeData(gateBlocks(w, 4, LSTM_ORDER), w.shape, [1, 0]).data;
  const B = new Float32Array(8 * units);
  B.set(gateBlocks(bias, 4, LSTM_ORDER));
  const act = rnnActivation(layer, c.activation);
  return recurrence(
    ctx,
    'LSTM',
    x!,
    { W: reorder(kernel), R: reorder(recurrent), B, gates: 4, units, features },
    { activations: { strings: [rnnActivation(layer, c.recurrentActivation), act, act] } },
    c.returnSequences === true,
    out,
  );
};

/** The recurrent layers' converters by tfjs class name. */
export const RECURRENT_CONVERTERS: Record<string, LayerConverter> = {
  GRU: Gru,
  FacelabFusedGru: Gru,
  LSTM: Lstm,
};
