/** Conv2DBackpropInput and Conv2DBackpropFilter (NHWC) on oneDNN's backward-data and backward-weights primitives. */
import { tf } from '../../../tf.js';
import { convInfo, type ConvBackpropAttrs } from '../wasm/conv-geometry.js';
import { oneDnnGeometry } from './geometry.js';
import { oneDnnKernel, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

function backpropInputPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { dy, filter } = inputs;
  const a = attrs as unknown as ConvBackpropAttrs & { inputShape: number[] };
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const geometry = oneDnnGeometry(convInfo(a.inputShape, filter!.shape, a, false));
  return { outShapes: [a.inputShape], run: (addon, [dx], view) => addon.convBackwardData(geometry, view(dy!), view(filter!), dx) };
}

function backpropFilterPlan({ inputs, attrs }: OneDnnKernelArgs): OneDnnCall | undefined {
  const { x, dy } = inputs;
  const a = attrs as unknown as ConvBackpropAttrs & { filterShape: number[] };
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const geometry = oneDnnGeometry(convInfo(x!.shape, a.filterShape, a, false));
  return { outShapes: [a.filterShape], run: (addon, [dw], view) => addon.convBackwardFilter(geometry, view(x!), view(dy!), dw) };
}

/** Conv2DBackpropInput on oneDNN, falling back to `replaced`. */
export const conv2dBackpropInputOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.Conv2DBackpropInput, replaced, backpropInputPlan);
/** Conv2DBackpropFilter on oneDNN, falling back to `replaced`. */
export const conv2dBackpropFilterOneDnn = (replaced: tf.KernelConfig): tf.KernelConfig => oneDnnKernel(tf.Conv2DBackpropFilter, replaced, backpropFilterPlan);
