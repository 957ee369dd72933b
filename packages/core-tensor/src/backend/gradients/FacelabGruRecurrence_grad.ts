/** Gradient of {@link FacelabGruRecurrence}: one FacelabGruRecurrenceGrad kernel. */
import { tf } from '../../tf.js';
import { FacelabGruRecurrence, FacelabGruRecurrenceGrad } from '../kernel_names.js';

/** The gradient config of the fused GRU recurrence kernel. */
export const facelabGruRecurrenceGradConfig: tf.GradConfig = {
  kernelName: FacelabGruRecurrence,
  inputsToSave: ['xw', 'recurrentKernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [xw, recurrentKernel, h] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [dxw, du] = tf.engine().runKernel(FacelabGruRecurrenceGrad, { dh: dy as tf.Tensor, h, xw, recurrentKernel }) as tf.Tensor[];
    return { xw: () => dxw!, recurrentKernel: () => du! };
  },
};
