/**
 * `exportOnnx`: a tfjs LayersModel (inference mode) → ONNX ModelProto bytes, written by @facelab/runtime's
 * protobuf writer. The model's graph is walked from its outputs back to its inputs through the symbolic
 * tensors; each layer is emitted by the converter registered for its class name (see convert-*.ts; callers
 * add converters for their own layer classes), nested models are expanded in place. Inputs and outputs keep
 * tfjs's shapes and layouts (NHWC images), so the same arrays feed both.
 */
import { OnnxGraph, writeFileAtomic, type OnnxDim } from '@facelab/runtime';
import { tf } from '../tf.js';
import { ExportContext, type Shape, type Value } from './context.js';
import { BASIC_CONVERTERS } from './convert-basic.js';
import { RECURRENT_CONVERTERS } from './convert-recurrent.js';
import { SPATIAL_CONVERTERS } from './convert-spatial.js';
import type { LayerConverter } from './converter.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** ONNX operator set of the default domain (default 17; 13–21 are supported). */
  opset?: number;
  /**
   * Shape of the (single) input including the batch axis, filling sizes the model leaves open (null); a
   * number where the model has one must match it. Default: the model's input shape.
   */
  inputShape?: readonly (number | null)[];
  /** Leave the batch axis open (ONNX dim `batch`; default true); false fixes it to `inputShape[0]` (default 1). */
  dynamicBatch?: boolean;
  /** Converters for layer classes core-tensor does not know, by class name (they override built-in ones). */
  converters?: Record<string, LayerConverter>;
}

/** A declared input or output of an exported graph. */
export interface OnnxSignature {
  /** Name in the ONNX graph (the tfjs model's input / output name). */
  name: string;
  /** Shape; a string names a size given at run time. */
  shape: OnnxDim[];
}

/** What {@link exportOnnx} returns: the model file's bytes and its inputs and outputs. */
export interface OnnxExport {
  bytes: Uint8Array;
  inputs: OnnxSignature[];
  outputs: OnnxSignature[];
}

/** Layer classes {@link exportOnnx} converts without help. */
export const ONNX_LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  ...BASIC_CONVERTERS,
  ...SPATIAL_CONVERTERS,
  ...RECURRENT_CONVERTERS,
};

const MIN_OPSET = 13;
const MAX_OPSET = 21;

function outputShape(layer: tf.layers.Layer, inputs: Value[], fallback: Shape): Shape {
  try {
    const shapes = inputs.map((v) => v.shape);
    const s = layer.computeOutputShape(shapes.length === 1 ? shapes[0]! : shapes) as Shape;
    return Array.isArray(s) ? s : fallback;
  } catch {
    return fallback;
  }
}

/** Emits `model` applied to `inputs` and returns its outputs (recursively for nested models). */
function convertModel(ctx: ExportContext, model: tf.LayersModel, inputs: Value[], converters: Record<string, LayerConverter>): Value[] {
  const values = new Map<number, Value>();
  model.inputs.forEach((s, i) => values.set(s.id, inputs[i]!));
  const calls = new Map<string, Value[]>();
  const visit = (s: tf.SymbolicTensor): Value => {
    const known = values.get(s.id);
    if (known !== undefined) return known;
    const layer = s.sourceLayer as tf.layers.Layer;
    const ins = s.inputs.map(visit);
    const key = `${layer.name}|${s.inputs.map((i) => i.id).join(',')}`;
    let outs = calls.get(key);
    if (outs === undefined) {
      outs = convertLayer(ctx, layer, ins, outputShape(layer, ins, s.shape), converters);
      calls.set(key, outs);
    }
    const v = outs[s.outputTensorIndex ?? 0];
    if (v === undefined) throw new Error(`ONNX export: layer '${layer.name}' gave no output ${s.outputTensorIndex ?? 0}`);
    values.set(s.id, v);
    return v;
  };
  return model.outputs.map(visit);
}

function convertLayer(ctx: ExportContext, layer: tf.layers.Layer, inputs: Value[], out: Shape, converters: Record<string, LayerConverter>): Value[] {
  if (layer instanceof tf.LayersModel) return convertModel(ctx, layer, inputs, converters);
  const cls = layer.getClassName();
  if (cls === 'TimeDistributed') return [timeDistributed(ctx, layer, inputs[0]!, out, converters)];
  const convert = converters[cls];
  if (convert === undefined) {
    throw new Error(`ONNX export: layer '${layer.name}' of class ${cls} has no converter (pass one in options.converters)`);
  }
  const result = convert(ctx, layer, inputs, out);
  return Array.isArray(result) ? result : [result];
}

/** tfjs's TimeDistributed(inner) as core-tensor's time folding: fold [B, T, …] into the batch, inner, unfold. */
function timeDistributed(ctx: ExportContext, layer: tf.layers.Layer, x: Value, out: Shape, converters: Record<string, LayerConverter>): Value {
  const inner = (layer as unknown as { layer: tf.layers.Layer }).layer;
  const foldedShape: Shape = [null, ...x.shape.slice(2)];
  const folded = BASIC_CONVERTERS.FacelabFoldTime!(ctx, layer, [x], foldedShape) as Value;
  const [y] = convertLayer(ctx, inner, [folded], outputShape(inner, [folded], [null, ...out.slice(2)]), converters);
  return BASIC_CONVERTERS.FacelabUnfoldTime!(ctx, layer, [y!, x], out) as Value;
}

function resolveInputShape(model: tf.LayersModel, options: ExportOnnxOptions): Shape {
  const own = model.inputs[0]!.shape;
  const given = options.inputShape;
  if (given === undefined) return [...own];
  if (given.length !== own.length) {
    throw new Error(`exportOnnx: inputShape [${given}] has ${given.length} axes, model '${model.name}' takes ${own.length}: [${own}]`);
  }
  return own.map((d, i) => {
    const g = given[i];
    if (g !== null && g !== undefined && (!Number.isInteger(g) || g < 1)) throw new Error(`exportOnnx: inputShape[${i}] must be a positive integer or null, got ${g}`);
    if (d !== null && i > 0 && g !== null && g !== undefined && g !== d) {
      throw new Error(`exportOnnx: inputShape[${i}] = ${g}, but model '${model.name}' fixes that axis to ${d}`);
    }
    return g ?? d;
  });
}

function declared(shape: Shape, name: string, dynamicBatch: boolean, batch: number): OnnxDim[] {
  return shape.map((d, i) => (i === 0 ? (dynamicBatch ? 'batch' : batch) : (d ?? `${name}_${i}`)));
}

/**
 * Exports a tfjs LayersModel as an ONNX model (inference: dropout off, batch norm with its moving statistics).
 * Inputs and outputs have the model's names and tfjs's shapes and layouts (NHWC). Throws naming the first
 * layer it cannot convert. Covers the layers facelab's networks use; see {@link ONNX_LAYER_CONVERTERS}.
 */
export function exportOnnx(model: tf.LayersModel, options: ExportOnnxOptions = {}): OnnxExport {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`exportOnnx: opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`);
  }
  if (model.inputs.length !== 1 && options.inputShape !== undefined) {
    throw new Error(`exportOnnx: inputShape applies to single-input models; '${model.name}' has ${model.inputs.length} inputs`);
  }
  const dynamicBatch = options.dynamicBatch ?? true;
  const converters = { ...ONNX_LAYER_CONVERTERS, ...options.converters };
  const g = new OnnxGraph({ opset });
  const ctx = new ExportContext(g);
  const inputs: OnnxSignature[] = [];
  const inputValues = model.inputs.map((s, i) => {
    const shape = i === 0 ? resolveInputShape(model, options) : [...s.shape];
    const batch = shape[0] ?? 1;
    if (!dynamicBatch) shape[0] = batch;
    const name = model.inputNames[i]!;
    const dims = declared(shape, name, dynamicBatch, batch);
    inputs.push({ name, shape: dims });
    return { name: g.input(name, dims), shape, layout: 'logical' } as Value;
  });
  const outs = convertModel(ctx, model, inputValues, converters);
  const outputs = outs.map((v, i) => {
    const name = model.outputNames[i]!;
    const shape = declared(v.shape, name, dynamicBatch, Number(inputValues[0]!.shape[0] ?? 1));
    g.output(ctx.logical(v).name, name, shape);
    return { name, shape };
  });
  return { bytes: g.encode(), inputs, outputs };
}

/** Exports `model` (see {@link exportOnnx}) to the file `path`, written atomically. */
export async function saveOnnx(model: tf.LayersModel, path: string, options: ExportOnnxOptions = {}): Promise<OnnxExport> {
  const exported = exportOnnx(model, options);
  await writeFileAtomic(path, exported.bytes);
  return exported;
}
