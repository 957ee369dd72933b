/**
 * Reading ONNX models: ModelProto bytes → a {@link ParsedOnnxModel} (nodes and float tensors), with the
 * protobuf reader; graph.ts's `OnnxGraph` is the other direction, a graph being built. Field numbers are
 * those of onnx.proto (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto input = 1,
 * output = 2, name = 3, op_type = 4, attribute = 5; AttributeProto name = 1, f = 2, i = 3, t = 5, floats = 7,
 * ints = 8; TensorProto dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8, raw_data = 9,
 * double_data = 10, data_location = 14).
 */
import { pbInts, pbString, readFields, WIRE, type PbField } from './protobuf.js';

/** A tensor from the graph, as float32 values with its dims (integer tensors converted). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** An attribute value: number, numbers, string or tensor. */
export type OnnxAttribute = number | number[] | string | OnnxTensor;

/** One graph node. */
export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

/** What {@link parseOnnxModel} reads from a model file: its graph's nodes and tensors. */
export interface ParsedOnnxModel {
  nodes: OnnxNode[];
  /** Initializers and `Constant` node outputs by name. */
  tensors: Map<string, OnnxTensor>;
}

const DATA_TYPES: Record<number, string> = { 1: 'FLOAT', 6: 'INT32', 7: 'INT64', 11: 'DOUBLE' };

function parseTensor(bytes: Uint8Array, base: number, source: string): OnnxTensor {
  const f = readFields(bytes, base, `${source} TensorProto`);
  const name = f.filter((x) => x.field === 8).map(pbString)[0] ?? '';
  const dims = pbInts(f, 1);
  const type = f.find((x) => x.field === 2)?.value ?? 0;
  const where = `${source}: tensor '${name}'`;
  if (f.some((x) => x.field === 14 && x.value === 1)) {
    throw new Error(`${where} uses external data; save the model with its weights inside the .onnx file`);
  }
  if (!(type in DATA_TYPES)) throw new Error(`${where} has unsupported data_type ${type} (FLOAT, DOUBLE, INT32, INT64 are read)`);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = f.find((x) => x.field === 9);
  let data: Float32Array;
  if (raw !== undefined) {
    const b = raw.bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const width = type === 1 || type === 6 ? 4 : 8;
    if (b.length !== count * width) {
      throw new Error(`${where}: raw_data has ${b.length} bytes, dims [${dims}] need ${count * width} (byte offset ${raw.offset})`);
    }
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const o = i * width;
      data[i] =
        type === 1 ? view.getFloat32(o, true)
        : type === 6 ? view.getInt32(o, true)
        : type === 11 ? view.getFloat64(o, true)
        : Number(view.getBigInt64(o, true));
    }
  } else {
    data = Float32Array.from(type === 1 ? floats(f, 4) : type === 11 ? doubles(f, 10) : pbInts(f, type === 6 ? 5 : 7));
    if (data.length !== count) throw new Error(`${where}: holds ${data.length} values, dims [${dims}] need ${count}`);
  }
  return { name, dims, data };
}

/** Repeated float (fixed32) values, packed or not. */
function floats(fields: PbField[], field: number): number[] {
  const out: number[] = [];
  for (const x of fields) {
    if (x.field !== field) continue;
    if (x.wire === WIRE.fixed32) out.push(x.value);
    else if (x.wire === WIRE.bytes) {
      const v = new DataView(x.bytes.buffer, x.bytes.byteOffset, x.bytes.byteLength);
      for (let o = 0; o + 4 <= x.bytes.length; o += 4) out.push(v.getFloat32(o, true));
    }
  }
  return out;
}

/** Repeated double (fixed64) values, packed or not. */
function doubles(fields: PbField[], field: number): number[] {
  const out: number[] = [];
  for (const x of fields) {
    if (x.field !== field) continue;
    if (x.wire === WIRE.fixed64) out.push(x.value);
    else if (x.wire === WIRE.bytes) {
      const v = new DataView(x.bytes.buffer, x.bytes.byteOffset, x.bytes.byteLength);
      for (let o = 0; o + 8 <= x.bytes.length; o += 8) out.push(v.getFloat64(o, true));
    }
  }
  return out;
}

function parseAttribute(field: PbField, source: string): [string, OnnxAttribute] {
  const f = readFields(field.bytes, field.value, `${source} AttributeProto`);
  const name = f.filter((x) => x.field === 1).map(pbString)[0] ?? '';
  const t = f.find((x) => x.field === 5);
  if (t !== undefined) return [name, parseTensor(t.bytes, t.value, source)];
  const s = f.find((x) => x.field === 4);
  if (s !== undefined) return [name, pbString(s)];
  const fl = f.find((x) => x.field === 2);
  if (fl !== undefined) return [name, fl.value];
  const i = f.find((x) => x.field === 3);
  if (i !== undefined) return [name, pbInts([i], 3)[0]!];
  if (f.some((x) => x.field === 7)) return [name, floats(f, 7)];
  return [name, pbInts(f, 8)];
}

/** Parses ONNX model bytes; `source` (a file name) prefixes error messages. */
export function parseOnnxModel(bytes: Uint8Array, source = 'ONNX model'): ParsedOnnxModel {
  const model = readFields(bytes, 0, `${source} ModelProto`);
  const graphField = model.find((x) => x.field === 7 && x.wire === WIRE.bytes);
  if (graphField === undefined) throw new Error(`${source}: not an ONNX model (no ModelProto.graph field)`);
  const graph = readFields(graphField.bytes, graphField.value, `${source} GraphProto`);
  const tensors = new Map<string, OnnxTensor>();
  for (const x of graph) {
    if (x.field === 5) {
      const t = parseTensor(x.bytes, x.value, source);
      tensors.set(t.name, t);
    }
  }
  const nodes: OnnxNode[] = [];
  for (const x of graph) {
    if (x.field !== 1) continue;
    const f = readFields(x.bytes, x.value, `${source} NodeProto`);
    const node: OnnxNode = {
      name: f.filter((y) => y.field === 3).map(pbString)[0] ?? '',
      opType: f.filter((y) => y.field === 4).map(pbString)[0] ?? '',
      inputs: f.filter((y) => y.field === 1).map(pbString),
      outputs: f.filter((y) => y.field === 2).map(pbString),
      attributes: Object.fromEntries(f.filter((y) => y.field === 5).map((y) => parseAttribute(y, source))),
    };
    const value = node.attributes.value;
    if (node.opType === 'Constant' && typeof value === 'object' && !Array.isArray(value)) {
      tensors.set(node.outputs[0]!, { ...value, name: node.outputs[0]! });
    }
    nodes.push(node);
  }
  return { nodes, tensors };
}
