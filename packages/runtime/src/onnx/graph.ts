/**
 * Builds ONNX models in memory: the small graphs facelab's kernels run on onnxruntime-node (keyed by shape,
 * built once and cached) and whole exported networks (core-tensor's `exportOnnx`). Field numbers are those of
 * onnx.proto; the IR version follows the operator set.
 */
import { ProtoWriter } from './protobuf.js';

/** ONNX tensor element types facelab's graphs use. */
export const ONNX_TYPE = { float32: 1, int64: 7, float64: 11 } as const;

/** An ONNX element type name. */
export type OnnxDtype = keyof typeof ONNX_TYPE;

/** An attribute value: int, float, ints, string, floats or strings (the types facelab's ops take). */
export type OnnxAttr = number | number[] | string | { float: number } | { floats: number[] } | { strings: string[] };

/** A dimension of a declared input or output: a size, or a name for a size given at run time (`'batch'`). */
export type OnnxDim = number | string;

const DEFAULT_OPSET = 18; // 18: every Reduce* op takes its axes as an input

/** The lowest IR version that a model importing `opset` of the default domain must declare (onnx/helper.py's table). */
function irVersionFor(opset: number): number {
  return opset <= 18 ? 8 : opset <= 20 ? 9 : opset === 21 ? 10 : 11;
}

function attribute(name: string, value: OnnxAttr): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'string') return a.raw(4, new TextEncoder().encode(value)).int(20, 3);
  if (Array.isArray(value)) {
    for (const v of value) a.int(8, v);
    return a.int(20, 7);
  }
  if (typeof value === 'number') return a.int(3, value).int(20, 2);
  if ('floats' in value) {
    for (const v of value.floats) a.float(7, v);
    return a.int(20, 6);
  }
  if ('strings' in value) {
    for (const v of value.strings) a.raw(9, new TextEncoder().encode(v));
    return a.int(20, 8);
  }
  return a.float(2, value.float).int(20, 1);
}

function valueInfo(name: string, shape: readonly OnnxDim[], dtype: OnnxDtype): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().int(1, d));
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
  /** Version of the default ONNX operator set the graph's nodes follow. */
  readonly opset: number;

  /** A new empty graph importing `opset` of the default domain (default 18). */
  constructor(options: { opset?: number } = {}) {
    this.opset = options.opset ?? DEFAULT_OPSET;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, shape: readonly OnnxDim[], dtype: OnnxDtype = 'float32'): string {
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

  /** Adds a node with `outputs` outputs (trailing optional ones left out) and returns their names. */
  nodeOutputs(op: string, inputs: readonly string[], outputs: number, attrs: Record<string, OnnxAttr> = {}): string[] {
    const names = Array.from({ length: outputs }, () => `t${this.count++}`);
    const n = new ProtoWriter();
    for (const i of inputs) n.string(1, i);
    for (const o of names) n.string(2, o);
    n.string(4, op);
    for (const [k, v] of Object.entries(attrs)) n.message(5, attribute(k, v));
    this.nodes.push(n);
    return names;
  }

  /** A float32 tensor constant (weights) and its name; `values` is referenced until {@link encode}, not copied. */
  float32Tensor(values: Float32Array, shape: readonly number[]): string {
    const count = shape.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new Error(`OnnxGraph.float32Tensor: ${values.length} values for shape [${shape}]`);
    const name = `w${this.count++}`;
    const t = new ProtoWriter();
    for (const d of shape) t.int(1, d);
    t.int(2, ONNX_TYPE.float32).string(8, name).raw(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.initializers.push(t);
    return name;
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
  output(value: string, name: string, shape: readonly OnnxDim[], dtype: OnnxDtype = 'float32'): void {
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
      .int(1, irVersionFor(this.opset))
      .string(2, 'facelab')
      .message(7, g)
      .message(8, new ProtoWriter().string(1, '').int(2, this.opset))
      .finish();
  }
}
