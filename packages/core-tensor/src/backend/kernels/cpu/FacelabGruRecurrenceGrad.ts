/** FacelabGruRecurrenceGrad on the cpu backend: the shared recurrence (shared/gru-recurrence.ts) over cpu operations. */
import type { tf } from '../../../tf.js';
import { FacelabGruRecurrenceGrad } from '../../kernel_names.js';
import { gruRecurrenceGradKernelFunc } from '../shared/gru-kernels.js';
import { cpuGruOps } from './gru-ops.js';

/** The cpu kernel config of FacelabGruRecurrenceGrad. */
export const facelabGruRecurrenceGradConfig: tf.KernelConfig = { kernelName: FacelabGruRecurrenceGrad, backendName: 'cpu', kernelFunc: gruRecurrenceGradKernelFunc(cpuGruOps) };
