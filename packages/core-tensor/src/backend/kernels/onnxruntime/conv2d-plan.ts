/**
 * The graph plan shared by Conv2D and FusedConv2D on onnxruntime, NHWC in and out. Small output maps and 1×1 kernels: im2col + one
 * MatMul (im2col.ts), bias and activation after it. Larger maps: ORT's Conv on the input transposed to NCHW
 * inside the graph, where ORT's NCHWc transformer folds the transposes into its blocked-layout reorders; bias
 * and channel-agnostic activations run before the transpose back (so ORT can fuse them into the
 * convolution), PReLU and biases that are not per-channel after it, where tfjs's NHWC broadcasting applies.
 */
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from '../wasm/conv-geometry.js';
import { im2colConv, padNhwc, preferIm2col } from './im2col.js';
import { OnnxGraph } from '@facelab/runtime';
import { activate, ORT_ACTIVATIONS, sizeOf, type OrtKernelArgs } from './ort-kernel.js';

interface FusedAttrs extends ConvBackpropAttrs {
  activation?: string;
  leakyreluAlpha?: number;
}

/** ONNX Conv attributes for tfjs conv geometry. */
export function onnxConvAttrs(info: tf.backend_util.Conv2DInfo): Record<string, number[]> {
  const p = info.padInfo;
  return {
    pads: [p.top, p.left, p.bottom, p.right],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
  };
}

/** Plans a Conv2D or FusedConv2D call (a plain Conv2D has no bias, PReLU weights or activation). */
export function convPlan({ inputs, attrs }: OrtKernelArgs) {
  const { x, filter, bias, preluActivationWeights: prelu } = inputs as Record<string, tf.TensorInfo | undefined>;
  const a = attrs as unknown as FusedAttrs;
  const activation = a.activation ?? 'linear';
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC' || !ORT_ACTIVATIONS.has(activation) || x!.shape.length !== 4) return undefined;
  const info = convInfo(x!.shape, filter!.shape, a, false);
  const outShape = info.outShape;
  const geometry = {
    n: info.batchSize,
    cin: info.inChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    strides: [info.strideHeight, info.strideWidth] as [number, number],
    dilations: [info.dilationHeight, info.dilationWidth] as [number, number],
    outHeight: info.outHeight,
    outWidth: info.outWidth,
  };
  const channelBias = bias !== undefined && sizeOf(bias.shape) === info.outChannels && bias.shape.at(-1) === info.outChannels;
  return {
    flops: 2 * sizeOf(outShape) * info.filterHeight * info.filterWidth * info.inChannels,
    plan: () => ({
      key: JSON.stringify([preferIm2col(geometry), x!.shape, filter!.shape, bias?.shape, prelu?.shape, activation, a.leakyreluAlpha, onnxConvAttrs(info)]),
      feeds: { x: x!, w: filter!, ...(bias && { b: bias }), ...(prelu && { p: prelu }) },
      outShape,
      build: () => {
        const g = new OnnxGraph();
        if (preferIm2col(geometry)) {
          const xp = padNhwc(g, g.input('x', x!.shape), [info.padInfo.top, info.padInfo.bottom, info.padInfo.left, info.padInfo.right]);
          let y = im2colConv(g, xp, g.input('w', filter!.shape), info.outChannels, geometry);
          if (bias !== undefined) y = g.node('Add', [y, g.input('b', bias.shape)]);
          g.output(activate(g, y, activation, a.leakyreluAlpha ?? 0.2, prelu && g.input('p', prelu.shape)), 'y', outShape);
          return g;
        }
        const xt = g.node('Transpose', [g.input('x', x!.shape)], { perm: [0, 3, 1, 2] });
        const wt = g.node('Transpose', [g.input('w', filter!.shape)], { perm: [3, 2, 0, 1] });
        const b = bias && g.input('b', bias.shape);
        const convInputs = [xt, wt];
        if (channelBias) convInputs.push(g.node('Reshape', [b!, g.int64s([info.outChannels])]));
        let y = g.node('Conv', convInputs, onnxConvAttrs(info));
        const late = activation === 'prelu' || (bias !== undefined && !channelBias);
        if (!late) y = activate(g, y, activation, a.leakyreluAlpha ?? 0.2);
        y = g.node('Transpose', [y], { perm: [0, 2, 3, 1] });
        if (bias !== undefined && !channelBias) y = g.node('Add', [y, b!]);
        if (late) y = activate(g, y, activation, a.leakyreluAlpha ?? 0.2, prelu && g.input('p', prelu.shape));
        g.output(y, 'y', outShape);
        return g;
      },
    }),
  };
}
