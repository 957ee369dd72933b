/**
 * A 2-D convolution with a dilation rate (atrous convolution, DeepLab), stride 1. tfjs-layers' Conv2D runs
 * `tf.fused.conv2d`, whose gradient rejects dilations > 1; this layer runs `tf.conv2d`, whose Conv2D kernel
 * gradient core-tensor registers for every dilation (backend/gradients/Conv2D_grad.ts). Its weights are
 * named as Conv2D's (`kernel` [KH, KW, Cin, Cout], `bias`).
 */
import { checkPositiveInt } from '@facelab/runtime';
import { tf } from '../tf.js';

type Shape = (number | null)[];

/** Options of {@link DilatedConv2D}. */
export interface DilatedConv2DArgs {
  /** Output channels. */
  filters: number;
  /** Square kernel size. */
  kernelSize: number;
  /** Dilation rate (both axes). */
  dilation: number;
  /** `'same'` keeps height and width; `'valid'` shrinks them by (kernelSize − 1)·dilation. */
  padding: 'same' | 'valid';
  /** Add a bias (default false). */
  useBias?: boolean;
  /** Seed of the He-normal kernel initialiser; unseeded by default. */
  seed?: number;
  /** Layer name. */
  name?: string;
}

/** Atrous convolution at stride 1: `tf.conv2d(x, kernel, 1, padding, 'NHWC', dilation)` (+ bias). */
export class DilatedConv2D extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabDilatedConv2D';
  private readonly args: Required<Omit<DilatedConv2DArgs, 'seed' | 'name'>> & { seed?: number };
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: DilatedConv2DArgs) {
    super({ name: args.name });
    const label = `DilatedConv2D '${this.name}'`;
    checkPositiveInt(args.filters, `${label}: filters`);
    checkPositiveInt(args.kernelSize, `${label}: kernelSize`);
    checkPositiveInt(args.dilation, `${label}: dilation`);
    if (args.padding !== 'same' && args.padding !== 'valid') {
      throw new Error(`${label}: padding must be 'same' or 'valid', got '${String(args.padding)}'`);
    }
    this.args = { filters: args.filters, kernelSize: args.kernelSize, dilation: args.dilation, padding: args.padding, useBias: args.useBias ?? false, seed: args.seed };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const cin = shape[3];
    if (shape.length !== 4 || cin == null) {
      throw new Error(`DilatedConv2D '${this.name}': input must be [batch, height, width, channels], got shape ${JSON.stringify(shape)}`);
    }
    const { kernelSize: k, filters } = this.args;
    this.kernel = this.addWeight('kernel', [k, k, cin, filters], 'float32', tf.initializers.heNormal({ seed: this.args.seed }));
    if (this.args.useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const shrink = this.args.padding === 'valid' ? (this.args.kernelSize - 1) * this.args.dilation : 0;
    const size = (n: number | null | undefined) => (n == null ? null : n - shrink);
    return [b ?? null, size(h), size(w), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const { dilation: d, padding } = this.args;
      const y = tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, 1, padding, 'NHWC', [d, d]);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { seed, ...rest } = this.args;
    return { ...super.getConfig(), ...rest, ...(seed === undefined ? {} : { seed }) };
  }
}

tf.serialization.registerClass(DilatedConv2D);
