/**
 * Builds small ONNX models (one op or a short chain) in memory: facelab's kernels on onnxruntime-node are
 * graphs keyed by shape, built once and cached. Field numbers are those of onnx.proto (IR version 8).
 */
import { ProtoWriter } from './protobuf.js';

/** ONNX tensor element types facelab's graphs use. */
export const ONNX_TYPE = { float32: 1, int64: 7, float64: 11 } as const;

/** An ONNX element type name. */
export type OnnxDtype = keyof typeof ONNX_TYPE;

/** An attribute value: int, float, ints or string (the types facelab's ops take). */
export type OnnxAttr = number | number[] | string | { float: number };

const OPSET = 18; // 18: every Reduce* op takes its axes as an input

function attribute(name: string, value: OnnxAttr): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'string') return a.raw(4, new TextEncoder().encode(value)).int(20, 3);
  if (Array.isArray(value)) {
    for (const v of value) a.int(8, v);
    return a.int(20, 7);
  }
  if (typeof value === 'object') return a.float(2, value.float).int(20, 1);
  return a.int(3, value).int(20, 2);
}

function valueInfo(name: string, shape: readonly number[], dtype: OnnxDtype): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, ONNX_TYPE[dtype]).message(2, dims);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** A graph under construction (the builder; a model read from a file is a `ParsedOnnxModel`): declare inputs, add nodes, name outputs, then encode. */
export class OnnxGraph {
  private nodes: ProtoWriter[] = [];
  private inputs: ProtoWriter[] = [];
  private outputs: ProtoWriter[] = [];
  private initializers: ProtoWriter[] = [];
  private count = 0;

  /** Declares a graph input and returns its name. */
  input(name: string, shape: readonly number[], dtype: OnnxDtype = 'float32'): string {
    this.inputs.push(valueInfo(name, shape, dtype));
    return name;
  }

  /** Adds a node `op(inputs)` with attributes and returns its (single) output's name. */
  node(op: string, inputs: readonly string[], attrs: Record<string, OnnxAttr> = {}, domain = ''): string {
    const out = `t${this.count++}`;
    const n = new ProtoWriter();
    for (const i of inputs) n.string(1, i);
    n.string(2, out).string(4, op);
    for (const [k, v] of Object.entries(attrs)) n.message(5, attribute(k, v));
    if (domain !== '') n.string(7, domain);
    this.nodes.push(n);
    return out;
  }

  /** An int64 constant (shapes, axes, starts) and its name. */
  int64s(values: readonly number[]): string {
    const name = `c${this.count++}`;
    const data = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    this.initializers.push(new ProtoWriter().int(1, values.length).int(2, ONNX_TYPE.int64).string(8, name).raw(9, data));
    return name;
  }

  /** A float32 constant and its name. */
  float32s(values: readonly number[], shape: readonly number[] = [values.length]): string {
    const name = `c${this.count++}`;
    const t = new ProtoWriter();
    for (const d of shape) t.int(1, d);
    t.int(2, ONNX_TYPE.float32).string(8, name).raw(9, new Uint8Array(new Float32Array(values).buffer));
    this.initializers.push(t);
    return name;
  }

  /** Exposes `value` as the graph output `name` with its shape. */
  output(value: string, name: string, shape: readonly number[], dtype: OnnxDtype = 'float32'): void {
    this.nodes.push(new ProtoWriter().string(1, value).string(2, name).string(4, 'Identity'));
    this.outputs.push(valueInfo(name, shape, dtype));
  }

  /** The serialized ModelProto. */
  encode(): Uint8Array {
    const g = new ProtoWriter();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, 'facelab');
    for (const t of this.initializers) g.message(5, t);
    for (const i of this.inputs) g.message(11, i);
    for (const o of this.outputs) g.message(12, o);
    return new ProtoWriter()
      .int(1, 8)
      .string(2, 'facelab')
      .message(7, g)
      .message(8, new ProtoWriter().string(1, '').int(2, OPSET))
      .finish();
  }
}
