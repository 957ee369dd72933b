/**
 * The state of one ONNX export: the graph being built and, for every tfjs tensor converted so far, the ONNX
 * value holding it and that value's memory layout. tfjs is channels-last (NHWC); ONNX's convolutions, pools
 * and resizes are channels-first (NCHW). Image tensors move to NCHW at the first operation that needs it and
 * stay there through the elementwise layers after it (batch norm, activations, adds), so a network pays one
 * transpose at its input, not two per convolution; they return to NHWC only where tfjs's element order shows
 * (a reshape, a softmax, a graph output). Flattening an NCHW map keeps C·H·W order and the following dense
 * layer's kernel rows are permuted to match, as PyTorch's exports do.
 */
import type { OnnxAttr, OnnxGraph } from '@facelab/runtime';

/** A tfjs shape: null for a size known only at run time. */
export type Shape = (number | null)[];

/**
 * How a value's elements are laid out, relative to its tfjs (logical) shape: `logical` as tfjs; `nchw`: a rank-4
 * [B, H, W, C] tensor stored as [B, C, H, W]; `flatChw`: a [B, H·W·C] tensor flattened from NCHW, so in C·H·W order.
 */
export type Layout = 'logical' | 'nchw' | 'flatChw';

/** A converted tensor: the ONNX value's name, its tfjs shape and layout. */
export interface Value {
  name: string;
  shape: Shape;
  layout: Layout;
  /** [H, W, C] of the map a `flatChw` value was flattened from. */
  chw?: [number, number, number];
}

/** Logical axis i of a rank-4 NHWC tensor sits at physical axis NCHW_AXIS[i] in NCHW. */
const NCHW_AXIS = [0, 2, 3, 1];

/** Graph building with layout bookkeeping, shared by the layer converters. */
export class ExportContext {
  private readonly converted = new Map<string, string>();

  constructor(readonly g: OnnxGraph) {}

  /** The value in NCHW (rank 4), transposing once per value at most. */
  nchw(v: Value): Value {
    if (v.shape.length !== 4) throw new Error(`ONNX export: expected a 4-D [batch, height, width, channels] tensor, got shape ${JSON.stringify(v.shape)}`);
    if (v.layout === 'nchw') return v;
    const l = this.logical(v);
    return { ...l, name: this.once(`${l.name}>nchw`, () => this.g.node('Transpose', [l.name], { perm: [0, 3, 1, 2] })), layout: 'nchw' };
  }

  /** The value in tfjs's own element order. */
  logical(v: Value): Value {
    if (v.layout === 'logical') return v;
    if (v.layout === 'nchw') {
      return { name: this.once(`${v.name}>nhwc`, () => this.g.node('Transpose', [v.name], { perm: [0, 2, 3, 1] })), shape: v.shape, layout: 'logical' };
    }
    const [h, w, c] = v.chw!;
    const name = this.once(`${v.name}>flat`, () => {
      const map = this.g.node('Reshape', [v.name, this.g.int64s([-1, c, h, w])]);
      const nhwc = this.g.node('Transpose', [map], { perm: [0, 2, 3, 1] });
      return this.g.node('Reshape', [nhwc, this.g.int64s([-1, h * w * c])]);
    });
    return { name, shape: v.shape, layout: 'logical' };
  }

  /** Values brought to one layout for an elementwise op: NCHW when any 4-D input is, else tfjs's order. */
  aligned(values: Value[]): Value[] {
    const anyNchw = values.some((v) => v.layout === 'nchw');
    return values.map((v) => (anyNchw && v.shape.length === 4 ? this.nchw(v) : this.logical(v)));
  }

  /** The physical axis of logical axis `axis` (negative counts from the end) of `v`. */
  axis(v: Value, axis: number): number {
    const a = axis < 0 ? v.shape.length + axis : axis;
    if (v.layout === 'nchw') return NCHW_AXIS[a]!;
    if (v.layout === 'flatChw') throw new Error('ONNX export: axis of a flattened NCHW value');
    return a;
  }

  /**
   * A per-channel constant broadcasting along `v`'s channel (last logical) axis: shape [C, 1, 1] for NCHW
   * values, [C] otherwise.
   */
  channelConstant(v: Value, data: Float32Array): string {
    return this.g.float32Tensor(data, v.layout === 'nchw' ? [data.length, 1, 1] : [data.length]);
  }

  /** `op(x)` with attributes, keeping `x`'s shape and layout. */
  unary(x: Value, op: string, attrs: Record<string, OnnxAttr> = {}): Value {
    return { ...x, name: this.g.node(op, [x.name], attrs) };
  }

  /** `x` without its size-1 `axes` (Squeeze; the axes as an input from opset 13). */
  squeeze(x: string, axes: number[]): string {
    return this.g.node('Squeeze', [x, this.g.int64s(axes)]);
  }

  /** Mean or maximum over `axes` (the axes as an input from opset 18, an attribute before). */
  reduce(op: 'ReduceMean' | 'ReduceMax', x: string, axes: number[], keepdims: boolean): string {
    const k = keepdims ? 1 : 0;
    return this.g.opset >= 18 ? this.g.node(op, [x, this.g.int64s(axes)], { keepdims: k }) : this.g.node(op, [x], { axes, keepdims: k });
  }

  /** A Keras activation by its serialised name (`'relu'`, `'sigmoid'`, ...) applied to `x`. */
  activation(x: Value, name: string | undefined): Value {
    switch (name ?? 'linear') {
      case 'linear':
        return x;
      case 'relu':
        return this.unary(x, 'Relu');
      case 'relu6':
        return { ...x, name: this.g.node('Clip', [x.name, this.g.float32s([0], []), this.g.float32s([6], [])]) };
      case 'sigmoid':
        return this.unary(x, 'Sigmoid');
      case 'hardSigmoid':
        return this.unary(x, 'HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } });
      case 'tanh':
        return this.unary(x, 'Tanh');
      case 'elu':
        return this.unary(x, 'Elu', { alpha: { float: 1 } });
      case 'selu':
        return this.unary(x, 'Selu', { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } });
      case 'softplus':
        return this.unary(x, 'Softplus');
      case 'softsign':
        return this.unary(x, 'Softsign');
      case 'softmax': {
        const l = this.logical(x);
        return { ...l, name: this.g.node('Softmax', [l.name], { axis: -1 }) };
      }
      default:
        throw new Error(`ONNX export: activation '${name}' is not supported`);
    }
  }

  private once(key: string, make: () => string): string {
    let name = this.converted.get(key);
    if (name === undefined) {
      name = make();
      this.converted.set(key, name);
    }
    return name;
  }
}

/** Explicit ONNX pads [begin, end] of one spatial axis for tfjs's `'same'` padding (extra pixel at the end). */
export function samePads(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const extent = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + extent - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Padding attributes of a convolution or pool over spatial sizes `sizes` (null when only known at run time):
 * `pads` for 'valid', and for 'same' when every size is known; `auto_pad: SAME_UPPER` (tfjs's convention)
 * otherwise.
 */
export function padAttrs(
  padding: string,
  sizes: (number | null)[],
  kernel: number[],
  strides: number[],
  dilations: number[] = kernel.map(() => 1),
): Record<string, OnnxAttr> {
  if (padding === 'valid') return { pads: [...kernel.map(() => 0), ...kernel.map(() => 0)] };
  if (padding !== 'same') throw new Error(`ONNX export: padding '${padding}' is not supported (same, valid)`);
  if (sizes.some((s) => s === null)) return { auto_pad: 'SAME_UPPER' };
  const pairs = sizes.map((s, i) => samePads(s!, kernel[i]!, strides[i]!, dilations[i]!));
  return { pads: [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])] };
}

/** A number or pair from a tfjs layer config as a list of `n` numbers. */
export function tuple(value: unknown, n: number): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return Array.from({ length: n }, () => Number(value));
}
