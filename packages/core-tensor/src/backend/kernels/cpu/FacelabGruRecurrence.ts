/** FacelabGruRecurrence on the cpu backend: the shared recurrence (shared/gru-recurrence.ts) over cpu operations. */
import type { tf } from '../../../tf.js';
import { FacelabGruRecurrence } from '../../kernel_names.js';
import { gruRecurrenceKernelFunc } from '../shared/gru-kernels.js';
import { cpuGruOps } from './gru-ops.js';

/** The cpu kernel config of FacelabGruRecurrence. */
export const facelabGruRecurrenceConfig: tf.KernelConfig = { kernelName: FacelabGruRecurrence, backendName: 'cpu', kernelFunc: gruRecurrenceKernelFunc(cpuGruOps) };
