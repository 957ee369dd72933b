/**
 * Converters of the spatial layers — convolutions (plain, dilated, transposed, 1-D), pooling, upsampling,
 * resizing and padding — to ONNX operators in NCHW (NCW for 1-D).
 */
import type { tf } from '../tf.js';
import { padAttrs, tuple, type ExportContext, type Shape, type Value } from './context.js';
import { config, findWeight, transposeData, weight } from './weights.js';
import type { LayerConverter } from './converter.js';

function checkChannelsLast(layer: tf.layers.Layer): void {
  const format = config(layer).dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    throw new Error(`ONNX export: layer '${layer.name}' uses dataFormat '${String(format)}'; only channelsLast is exported`);
  }
}

/** Conv with a tfjs kernel [KH, KW, Cin, Cout] (+ bias) on an NCHW value; `out` is the layer's output shape. */
function conv2d(
  ctx: ExportContext,
  x: Value,
  layer: tf.layers.Layer,
  opts: { strides: number[]; dilations: number[]; padding: string },
  out: Shape,
): Value {
  const xc = ctx.nchw(x);
  const k = weight(layer, 'kernel');
  const w = transposeData(k.data, k.shape, [3, 2, 0, 1]);
  const kernel = k.shape.slice(0, 2);
  const inputs = [xc.name, ctx.g.float32Tensor(w.data, w.shape)];
  const bias = findWeight(layer, 'bias');
  if (bias !== undefined) inputs.push(ctx.g.float32Tensor(bias.data, bias.shape));
  const name = ctx.g.node('Conv', inputs, {
    kernel_shape: kernel,
    strides: opts.strides,
    dilations: opts.dilations,
    ...padAttrs(opts.padding, [x.shape[1]!, x.shape[2]!], kernel, opts.strides, opts.dilations),
  });
  return ctx.activation({ name, shape: out, layout: 'nchw' }, config(layer).activation as string | undefined);
}

const Conv2D: LayerConverter = (ctx, layer, [x], out) => {
  checkChannelsLast(layer);
  const c = config(layer);
  return conv2d(ctx, x!, layer, { strides: tuple(c.strides, 2), dilations: tuple(c.dilationRate ?? 1, 2), padding: String(c.padding) }, out);
};

const DilatedConv2D: LayerConverter = (ctx, layer, [x], out) => {
  const c = config(layer);
  const d = Number(c.dilation);
  return conv2d(ctx, x!, layer, { strides: [1, 1], dilations: [d, d], padding: String(c.padding) }, out);
};

/**
 * ConvTranspose with tfjs's output size (in·s for 'same', in·s + max(k − s, 0) for 'valid'): the kernel
 * [KH, KW, Cout, Cin] becomes [Cin, Cout, KH, KW]; 'same' crops ⌊(k − s)/2⌋ at the start, as TensorFlow does,
 * and a kernel smaller than its stride gets the missing rows as output padding.
 */
const Conv2DTranspose: LayerConverter = (ctx, layer, [x], out) => {
  checkChannelsLast(layer);
  const c = config(layer);
  const strides = tuple(c.strides, 2);
  const dil = tuple(c.dilationRate ?? 1, 2);
  if (dil.some((d) => d !== 1)) throw new Error(`ONNX export: Conv2DTranspose '${layer.name}' with dilation is not supported`);
  const k = weight(layer, 'kernel');
  const kernel = k.shape.slice(0, 2);
  const w = transposeData(k.data, k.shape, [3, 2, 0, 1]);
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  for (let i = 0; i < 2; i++) {
    const total = kernel[i]! - strides[i]!;
    const crop = c.padding === 'same' ? Math.max(total, 0) : 0;
    begin.push(Math.floor(crop / 2));
    end.push(crop - Math.floor(crop / 2));
    outputPadding.push(Math.max(-total, 0));
  }
  const inputs = [ctx.nchw(x!).name, ctx.g.float32Tensor(w.data, w.shape)];
  const bias = findWeight(layer, 'bias');
  if (bias !== undefined) inputs.push(ctx.g.float32Tensor(bias.data, bias.shape));
  const name = ctx.g.node('ConvTranspose', inputs, {
    kernel_shape: kernel,
    strides,
    pads: [...begin, ...end],
    ...(outputPadding.some((p) => p > 0) ? { output_padding: outputPadding } : {}),
  });
  return ctx.activation({ name, shape: out, layout: 'nchw' }, c.activation as string | undefined);
};

/** Runs `op` on a [B, T, C] value as [B, C, T] and returns the result as [B, T', C']. */
function channelsFirst1d(ctx: ExportContext, x: Value, out: Shape, op: (ncw: string) => string): Value {
  const ncw = ctx.g.node('Transpose', [ctx.logical(x).name], { perm: [0, 2, 1] });
  return { name: ctx.g.node('Transpose', [op(ncw)], { perm: [0, 2, 1] }), shape: out, layout: 'logical' };
}

const Conv1D: LayerConverter = (ctx, layer, [x], out) => {
  const c = config(layer);
  if (c.padding === 'causal') throw new Error(`ONNX export: Conv1D '${layer.name}' with causal padding is not supported`);
  const strides = tuple(c.strides, 1);
  const dilations = tuple(c.dilationRate ?? 1, 1);
  const k = weight(layer, 'kernel'); // [K, Cin, Cout]
  const w = transposeData(k.data, k.shape, [2, 1, 0]);
  const bias = findWeight(layer, 'bias');
  const y = channelsFirst1d(ctx, x!, out, (ncw) => {
    const inputs = [ncw, ctx.g.float32Tensor(w.data, w.shape)];
    if (bias !== undefined) inputs.push(ctx.g.float32Tensor(bias.data, bias.shape));
    return ctx.g.node('Conv', inputs, {
      kernel_shape: [k.shape[0]!],
      strides,
      dilations,
      ...padAttrs(String(c.padding), [x!.shape[1]!], [k.shape[0]!], strides, dilations),
    });
  });
  return ctx.activation(y, c.activation as string | undefined);
};

function pool2d(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx, layer, [x], out) => {
    checkChannelsLast(layer);
    const c = config(layer);
    const kernel = tuple(c.poolSize, 2);
    const strides = tuple(c.strides ?? c.poolSize, 2);
    // tfjs averages over the window's pixels inside the image: ONNX's count_include_pad = 0 (the default).
    const name = ctx.g.node(op, [ctx.nchw(x!).name], {
      kernel_shape: kernel,
      strides,
      ...padAttrs(String(c.padding), [x!.shape[1]!, x!.shape[2]!], kernel, strides),
    });
    return { name, shape: out, layout: 'nchw' };
  };
}

function pool1d(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx, layer, [x], out) => {
    const c = config(layer);
    const kernel = tuple(c.poolSize, 1);
    const strides = tuple(c.strides ?? c.poolSize, 1);
    return channelsFirst1d(ctx, x!, out, (ncw) =>
      ctx.g.node(op, [ncw], { kernel_shape: kernel, strides, ...padAttrs(String(c.padding), [x!.shape[1]!], kernel, strides) }),
    );
  };
}

function globalPool2d(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (ctx, layer, [x], out) => {
    checkChannelsLast(layer);
    if (config(layer).keepDims === true) throw new Error(`ONNX export: '${layer.name}' with keepDims is not supported`);
    const pooled = ctx.g.node(op, [ctx.nchw(x!).name]);
    return { name: ctx.g.node('Flatten', [pooled], { axis: 1 }), shape: out, layout: 'logical' };
  };
}

function globalPool1d(op: 'ReduceMean' | 'ReduceMax'): LayerConverter {
  return (ctx, _layer, [x], out) => ({ name: ctx.reduce(op, ctx.logical(x!).name, [1], false), shape: out, layout: 'logical' });
}

/**
 * tfjs's UpSampling2D resizes with align_corners and half-pixel centres both off: source pixel = out / scale
 * (ONNX's 'asymmetric' transform; nearest rounds down).
 */
const UpSampling2D: LayerConverter = (ctx, layer, [x], out) => {
  checkChannelsLast(layer);
  const c = config(layer);
  const [sh, sw] = tuple(c.size, 2);
  const mode = c.interpolation === 'bilinear' ? 'linear' : 'nearest';
  const name = ctx.g.node('Resize', [ctx.nchw(x!).name, '', ctx.g.float32s([1, 1, sh!, sw!])], {
    mode,
    coordinate_transformation_mode: 'asymmetric',
    ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}),
  });
  return { name, shape: out, layout: 'nchw' };
};

/** Bilinear resize of x to the reference's height and width (sizes read from the reference at run time). */
const ResizeToMatch: LayerConverter = (ctx, layer, [x, ref], out) => {
  const align = config(layer).alignCorners !== false;
  const xc = ctx.nchw(x!);
  const g = ctx.g;
  const batchChannels = g.node('Slice', [g.node('Shape', [xc.name]), g.int64s([0]), g.int64s([2])]);
  const hw =
    ref!.shape[1] != null && ref!.shape[2] != null
      ? g.int64s([ref!.shape[1], ref!.shape[2]])
      : ref!.layout === 'nchw'
        ? g.node('Slice', [g.node('Shape', [ref!.name]), g.int64s([2]), g.int64s([4])])
        : g.node('Slice', [g.node('Shape', [ctx.logical(ref!).name]), g.int64s([1]), g.int64s([3])]);
  const sizes = g.node('Concat', [batchChannels, hw], { axis: 0 });
  const name = g.node('Resize', [xc.name, '', '', sizes], {
    mode: 'linear',
    coordinate_transformation_mode: align ? 'align_corners' : 'asymmetric',
  });
  return { name, shape: out, layout: 'nchw' };
};

const ZeroPadding2D: LayerConverter = (ctx, layer, [x], out) => {
  checkChannelsLast(layer);
  const p = config(layer).padding as [[number, number], [number, number]] | number;
  const [[t, b], [l, r]] = typeof p === 'number' ? [[p, p], [p, p]] : p;
  const v = x!.layout === 'nchw' ? x! : ctx.logical(x!);
  const pads = v.layout === 'nchw' ? [0, 0, t, l, 0, 0, b, r] : [0, t, l, 0, 0, b, r, 0];
  return { name: ctx.g.node('Pad', [v.name, ctx.g.int64s(pads)], { mode: 'constant' }), shape: out, layout: v.layout };
};

/** The spatial layers' converters by tfjs class name. */
export const SPATIAL_CONVERTERS: Record<string, LayerConverter> = {
  Conv2D,
  FacelabDilatedConv2D: DilatedConv2D,
  Conv2DTranspose,
  Conv1D,
  MaxPooling2D: pool2d('MaxPool'),
  AveragePooling2D: pool2d('AveragePool'),
  MaxPooling1D: pool1d('MaxPool'),
  AveragePooling1D: pool1d('AveragePool'),
  GlobalAveragePooling2D: globalPool2d('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool2d('GlobalMaxPool'),
  GlobalAveragePooling1D: globalPool1d('ReduceMean'),
  GlobalMaxPooling1D: globalPool1d('ReduceMax'),
  UpSampling2D,
  FacelabResizeToMatch: ResizeToMatch,
  ZeroPadding2D,
};
