/** Conv2D and FusedConv2D (NHWC) on oneDNN: the convolution, a per-channel bias and the activation in one primitive. */
import type { Activation } from '@facelab/onednn';
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from '../wasm/conv-geometry.js';
import { oneDnnGeometry } from './geometry.js';
import { oneDnnKernel, oneDnnPackage, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

interface FusedAttrs extends ConvBackpropAttrs {
  activation?: string;
  leakyreluAlpha?: number;
}

const isActivation = (a: string): a is Activation => Object.hasOwn(oneDnnPackage().ACTIVATIONS, a);

function forwardPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const a = attrs as unknown as FusedAttrs;
  const activation = a.activation ?? 'linear';
  // PReLU has no post-op here, and a bias other than one value per output channel broadcasts over pixels.
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC' || x!.shape.length !== 4 || preluActivationWeights !== undefined || !isActivation(activation)) return undefined;
  const info = convInfo(x!.shape, filter!.shape, a, false);
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return undefined;
  const geometry = oneDnnGeometry(info);
  return {
    outShapes: [info.outShape],
    run: (addon, [y], view) =>
      addon.convForward(geometry, view(x!), view(filter!), bias === undefined ? null : view(bias), y, oneDnnPackage().ACTIVATIONS[activation], a.leakyreluAlpha ?? 0.2),
  };
}

/** Conv2D on oneDNN, falling back to `replaced`. */
export const conv2dOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.Conv2D, replaced, forwardPlan);
/** FusedConv2D on oneDNN, falling back to `replaced`. */
export const fusedConv2dOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.FusedConv2D, replaced, forwardPlan);
