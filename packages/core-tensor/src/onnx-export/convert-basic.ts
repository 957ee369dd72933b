/**
 * Converters of the layers that are not spatial or recurrent: dense, batch norm, activations, merges, reshapes,
 * rescaling, dropout (identity at inference) and core-tensor's time folding.
 */
import type { ExportContext, Value } from './context.js';
import type { LayerConverter } from './converter.js';
import { config, findWeight, transposeData, weight } from './weights.js';

/** x·kernel + bias, then the layer's activation; a kernel after an NCHW flatten gets its rows in C·H·W order. */
const Dense: LayerConverter = (ctx, layer, [x], out) => {
  const k = weight(layer, 'kernel');
  const bias = findWeight(layer, 'bias');
  let v = x!;
  let kernel = k;
  if (v.layout === 'flatChw' && v.chw !== undefined) {
    const [h, w, c] = v.chw;
    kernel = transposeData(k.data, [h, w, c, k.shape[1]!], [2, 0, 1, 3]);
    kernel = { data: kernel.data, shape: k.shape };
  } else {
    v = ctx.logical(v);
  }
  const g = ctx.g;
  const wName = g.float32Tensor(kernel.data, kernel.shape);
  let name: string;
  if (v.shape.length === 2) {
    name = g.node('Gemm', bias === undefined ? [v.name, wName] : [v.name, wName, g.float32Tensor(bias.data, bias.shape)]);
  } else {
    name = g.node('MatMul', [v.name, wName]);
    if (bias !== undefined) name = g.node('Add', [name, g.float32Tensor(bias.data, bias.shape)]);
  }
  return ctx.activation({ name, shape: out, layout: 'logical' }, config(layer).activation as string | undefined);
};

/** Inference batch norm with the moving statistics: ONNX BatchNormalization where channels are axis 1, else x·s + t. */
const BatchNorm: LayerConverter = (ctx, layer, [x], out) => {
  const c = config(layer);
  const rank = x!.shape.length;
  const axis = Number(c.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1) throw new Error(`ONNX export: batch norm '${layer.name}' over axis ${axis} is not supported (last axis only)`);
  const mean = weight(layer, 'moving_mean').data;
  const variance = weight(layer, 'moving_variance').data;
  const n = mean.length;
  const gamma = findWeight(layer, 'gamma')?.data ?? new Float32Array(n).fill(1);
  const beta = findWeight(layer, 'beta')?.data ?? new Float32Array(n);
  const epsilon = Number(c.epsilon ?? 1e-3);
  const v = rank === 4 ? ctx.nchw(x!) : ctx.logical(x!);
  const g = ctx.g;
  if (rank === 2 || rank === 4) {
    const inputs = [gamma, beta, mean, variance].map((d) => g.float32Tensor(d, [n]));
    return { name: g.node('BatchNormalization', [v.name, ...inputs], { epsilon: { float: epsilon } }), shape: out, layout: v.layout };
  }
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = gamma[i]! / Math.sqrt(variance[i]! + epsilon);
    shift[i] = beta[i]! - mean[i]! * scale[i]!;
  }
  const scaled = g.node('Mul', [v.name, ctx.channelConstant(v, scale)]);
  return { name: g.node('Add', [scaled, ctx.channelConstant(v, shift)]), shape: out, layout: v.layout };
};

/** PReLU with its slopes laid out as the input (per channel when shared over the spatial axes). */
const PReLU: LayerConverter = (ctx, layer, [x]) => {
  const alpha = weight(layer, 'alpha');
  let v = x!.layout === 'flatChw' ? ctx.logical(x!) : x!;
  let slope = alpha;
  if (v.layout === 'nchw') slope = transposeData(alpha.data, alpha.shape, [2, 0, 1]);
  // Leading size-1 axes are broadcast by ONNX; dropping them keeps per-channel slopes at their natural shape.
  while (slope.shape.length > 1 && slope.shape[0] === 1) slope = { data: slope.data, shape: slope.shape.slice(1) };
  v = { ...v, name: ctx.g.node('PRelu', [v.name, ctx.g.float32Tensor(slope.data, slope.shape)]) };
  return v;
};

const ReLU: LayerConverter = (ctx, layer, [x]) => {
  const max = config(layer).maxValue;
  if (max == null) return ctx.unary(x!, 'Relu');
  return { ...x!, name: ctx.g.node('Clip', [x!.name, ctx.g.float32s([0], []), ctx.g.float32s([Number(max)], [])]) };
};

const LeakyReLU: LayerConverter = (ctx, layer, [x]) => ctx.unary(x!, 'LeakyRelu', { alpha: { float: Number(config(layer).alpha ?? 0.3) } });

const ELU: LayerConverter = (ctx, layer, [x]) => ctx.unary(x!, 'Elu', { alpha: { float: Number(config(layer).alpha ?? 1) } });

const Softmax: LayerConverter = (ctx, layer, [x]) => {
  const axis = Number(config(layer).axis ?? -1);
  const v = ctx.logical(x!);
  return { ...v, name: ctx.g.node('Softmax', [v.name], { axis }) };
};

const Activation: LayerConverter = (ctx, layer, [x]) => ctx.activation(x!, config(layer).activation as string);

const Identity: LayerConverter = (_ctx, _layer, [x]) => x!;

/** Flatten; an NCHW map is flattened as it lies (C·H·W order), for the dense layer after it to absorb. */
const Flatten: LayerConverter = (ctx, _layer, [x], out) => {
  const v = x!;
  const [, h, w, c] = v.shape;
  if (v.layout === 'nchw' && h != null && w != null && c != null) {
    return { name: ctx.g.node('Flatten', [v.name], { axis: 1 }), shape: out, layout: 'flatChw', chw: [h, w, c] };
  }
  return { name: ctx.g.node('Flatten', [ctx.logical(v).name], { axis: 1 }), shape: out, layout: 'logical' };
};

const Reshape: LayerConverter = (ctx, layer, [x], out) => {
  const target = config(layer).targetShape as number[];
  const v = ctx.logical(x!);
  return { name: ctx.g.node('Reshape', [v.name, ctx.g.int64s([0, ...target])]), shape: out, layout: 'logical' };
};

const Permute: LayerConverter = (ctx, layer, [x], out) => {
  const dims = config(layer).dims as number[];
  return { name: ctx.g.node('Transpose', [ctx.logical(x!).name], { perm: [0, ...dims] }), shape: out, layout: 'logical' };
};

/** An n-ary elementwise merge as a chain of binary ONNX ops (`scale` divides the result: Average). */
function merge(op: 'Add' | 'Mul' | 'Sub' | 'Max' | 'Min', scale?: (n: number) => number): LayerConverter {
  return (ctx, _layer, inputs, out) => {
    const vs = ctx.aligned(inputs);
    let name = vs[0]!.name;
    for (const v of vs.slice(1)) name = ctx.g.node(op, [name, v.name]);
    if (scale !== undefined) name = ctx.g.node('Mul', [name, ctx.g.float32s([scale(vs.length)], [])]);
    return { name, shape: out, layout: vs[0]!.layout };
  };
}

const Concatenate: LayerConverter = (ctx, layer, inputs, out) => {
  const vs = ctx.aligned(inputs);
  const axis = ctx.axis(vs[0]!, Number(config(layer).axis ?? -1));
  return { name: ctx.g.node('Concat', vs.map((v) => v.name), { axis }), shape: out, layout: vs[0]!.layout };
};

/** x·scale + offset (layout-free: scalars). */
const Rescaling: LayerConverter = (ctx, layer, [x]) => {
  const c = config(layer);
  const g = ctx.g;
  const scaled = g.node('Mul', [x!.name, g.float32s([Number(c.scale)], [])]);
  return { ...x!, name: g.node('Add', [scaled, g.float32s([Number(c.offset ?? 0)], [])]) };
};

/** The shape tensor `[head…, Shape(x)[from:]]`, static when every size is known. */
function shapeWith(ctx: ExportContext, head: string, x: Value, from: number): string {
  const rest = x.shape.slice(from);
  const g = ctx.g;
  if (rest.every((d) => d != null)) return g.node('Concat', [head, g.int64s(rest as number[])], { axis: 0 });
  return g.node('Concat', [head, g.node('Slice', [g.node('Shape', [x.name]), g.int64s([from]), g.int64s([x.shape.length])])], { axis: 0 });
}

/** [B, T, ...rest] → [B·T, ...rest]. */
const FoldTime: LayerConverter = (ctx, _layer, [x], out) => {
  const v = ctx.logical(x!);
  return { name: ctx.g.node('Reshape', [v.name, shapeWith(ctx, ctx.g.int64s([-1]), v, 2)]), shape: out, layout: 'logical' };
};

/** [B·T, ...rest] → [B, T, ...rest], B and T read from the original's shape at run time. */
const UnfoldTime: LayerConverter = (ctx, _layer, [folded, original], out) => {
  const v = ctx.logical(folded!);
  const g = ctx.g;
  const bt = g.node('Slice', [g.node('Shape', [original!.name]), g.int64s([0]), g.int64s([2])]);
  return { name: g.node('Reshape', [v.name, shapeWith(ctx, bt, v, 1)]), shape: out, layout: 'logical' };
};

/** The converters of this module by tfjs class name. */
export const BASIC_CONVERTERS: Record<string, LayerConverter> = {
  Dense,
  BatchNormalization: BatchNorm,
  FacelabBatchNorm: BatchNorm,
  PReLU,
  ReLU,
  LeakyReLU,
  ELU,
  Softmax,
  Activation,
  Dropout: Identity,
  SpatialDropout1D: Identity,
  GaussianNoise: Identity,
  GaussianDropout: Identity,
  AlphaDropout: Identity,
  Flatten,
  Reshape,
  Permute,
  Add: merge('Add'),
  Multiply: merge('Mul'),
  Subtract: merge('Sub'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Average: merge('Add', (n) => 1 / n),
  Concatenate,
  Rescaling,
  FacelabFoldTime: FoldTime,
  FacelabUnfoldTime: UnfoldTime,
};
