/** FacelabPreluGrad on oneDNN's PReLU backward: x viewed as [rows, channels], one slope per channel. */
import { tf } from '../../../tf.js';
import { FacelabPreluGrad } from '../../kernel_names.js';
import { oneDnnKernel, type OneDnnCall, type OneDnnKernelArgs } from './onednn-kernel.js';

function preluGradPlan({ inputs }: OneDnnKernelArgs): OneDnnCall {
  const { dy, x, alpha } = inputs as Record<'dy' | 'x' | 'alpha', tf.TensorInfo>;
  const c = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / c;
  // Prelu_grad.ts sends only one slope per channel here.
  return { outShapes: [x.shape, alpha.shape], run: (addon, [dx, dalpha], view) => addon.preluBackward(rows, c, view(x), view(alpha), view(dy), dx!, dalpha!) };
}

/** FacelabPreluGrad on oneDNN (no fallback: Prelu's gradient calls it only where it is registered). */
export const preluGradOneDnn = (): tf.KernelConfig => oneDnnKernel(FacelabPreluGrad, undefined, preluGradPlan);
