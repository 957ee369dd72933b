/**
 * ONNX export of End2You models: core-tensor's exportOnnx plus converters for this package's two layers
 * (1-D zero padding, Emo16's max pool over the channel axis).
 */
import { exportOnnx, type ExportOnnxOptions, type LayerConverter, type OnnxExport, type tf } from '@facelab/core-tensor';
import { ChannelMaxPool } from './emo16.js';
import { ZeroPadding1d } from './conv1d.js';

function layerConfig(layer: tf.layers.Layer): Record<string, number | boolean> {
  return layer.getConfig() as Record<string, number | boolean>;
}

/** [N, T, C] zero-padded on the time axis. */
const zeroPadding1d: LayerConverter = (ctx, layer, [x], out) => {
  const p = Number(layerConfig(layer).padding);
  const v = ctx.logical(x!);
  return { name: ctx.g.node('Pad', [v.name, ctx.g.int64s([0, p, 0, 0, p, 0])], { mode: 'constant' }), shape: out, layout: 'logical' };
};

/**
 * Max pool over the channel axis of [N, T, C] (window = stride = pool, −∞ padding): as [N·T, 1, C] through
 * ONNX MaxPool, whose padding never wins a maximum. upstreamView first reads the (C, T) memory as (T, C).
 */
const channelMaxPool: LayerConverter = (ctx, layer, [x], out) => {
  const c = layerConfig(layer);
  const g = ctx.g;
  const v = ctx.logical(x!);
  const channels = v.shape[2]!;
  const shape = g.node('Shape', [v.name]);
  const y = c.upstreamView === true ? g.node('Reshape', [g.node('Transpose', [v.name], { perm: [0, 2, 1] }), shape]) : v.name;
  const rows = g.node('Reshape', [y, g.int64s([-1, 1, channels])]);
  const pool = Number(c.pool);
  const pad = Number(c.pad);
  const pooled = g.node('MaxPool', [rows], { kernel_shape: [pool], strides: [pool], pads: [pad, pad] });
  const nt = g.node('Slice', [shape, g.int64s([0]), g.int64s([2])]);
  const target = g.node('Concat', [nt, g.int64s([out[2]!])], { axis: 0 });
  return { name: g.node('Reshape', [pooled, target]), shape: out, layout: 'logical' };
};

/** Converters for End2You's own layer classes, by class name (for core-tensor's exportOnnx). */
export const END2YOU_ONNX_CONVERTERS: Record<string, LayerConverter> = {
  [ZeroPadding1d.className]: zeroPadding1d,
  [ChannelMaxPool.className]: channelMaxPool,
};

/** Exports an End2You model (createEnd2YouModel) as an ONNX model: core-tensor's exportOnnx with this package's converters. */
export function exportEnd2YouOnnx(model: tf.LayersModel, options: ExportOnnxOptions = {}): OnnxExport {
  return exportOnnx(model, { ...options, converters: { ...END2YOU_ONNX_CONVERTERS, ...options.converters } });
}
