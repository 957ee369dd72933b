/** FacelabGruRecurrenceGrad on the wasm backend: the shared recurrence (shared/gru-recurrence.ts) over wasm operations. */
import type { tf } from '../../../tf.js';
import { FacelabGruRecurrenceGrad } from '../../kernel_names.js';
import { gruRecurrenceGradKernelFunc } from '../shared/gru-kernels.js';
import { wasmGruOps } from './gru-ops.js';

/** The wasm kernel config of FacelabGruRecurrenceGrad. */
export const facelabGruRecurrenceGradConfig: tf.KernelConfig = { kernelName: FacelabGruRecurrenceGrad, backendName: 'wasm', kernelFunc: gruRecurrenceGradKernelFunc(wasmGruOps) };
