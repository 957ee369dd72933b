/** The fused GRU kernel functions (FacelabGruRecurrence and its gradient) over a backend's {@link GruBackendOps}. */
import type { tf } from '../../../tf.js';
import { gruBackward, gruForward, type GruBackendOps } from './gru-recurrence.js';

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend };

/** FacelabGruRecurrence's kernel function on the backend whose operations `opsFor` gives. */
export function gruRecurrenceKernelFunc(opsFor: (backend: tf.KernelBackend) => GruBackendOps): tf.KernelFunc {
  const f = ({ inputs, backend }: KernelArgs) => gruForward(opsFor(backend), inputs.xw!, inputs.recurrentKernel!);
  return f as unknown as tf.KernelFunc;
}

/** FacelabGruRecurrenceGrad's kernel function on the backend whose operations `opsFor` gives. */
export function gruRecurrenceGradKernelFunc(opsFor: (backend: tf.KernelBackend) => GruBackendOps): tf.KernelFunc {
  const f = ({ inputs, backend }: KernelArgs) => gruBackward(opsFor(backend), inputs.dh!, inputs.h!, inputs.xw!, inputs.recurrentKernel!);
  return f as unknown as tf.KernelFunc;
}
