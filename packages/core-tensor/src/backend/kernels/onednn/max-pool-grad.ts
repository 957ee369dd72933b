/** MaxPoolGrad (NHWC) on oneDNN: a max-pooling pass that records each window's argmax, then dy routed there. */
import { tf } from '../../../tf.js';
import { oneDnnKernel, oneDnnPackage, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

function maxPoolGradPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const p = info.padInfo;
  const geometry = oneDnnPackage().packGeometry({
    n: info.batchSize, h: info.inHeight, w: info.inWidth, cin: info.inChannels, kh: info.filterHeight, kw: info.filterWidth, cout: info.inChannels,
    oh: info.outHeight, ow: info.outWidth, strideH: info.strideHeight, strideW: info.strideWidth, dilationH: 1, dilationW: 1,
    padTop: p.top, padLeft: p.left, padBottom: p.bottom, padRight: p.right,
  });
  return { outShapes: [input.shape], run: (addon, [dx], view) => addon.maxPoolBackward(geometry, view(input), view(dy), dx!) };
}

/** MaxPoolGrad on oneDNN, falling back to `replaced`. */
export const maxPoolGradOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.MaxPoolGrad, replaced, maxPoolGradPlan);
