/** FacelabGruRecurrence on the wasm backend: the shared recurrence (shared/gru-recurrence.ts) over wasm operations. */
import type { tf } from '../../../tf.js';
import { FacelabGruRecurrence } from '../../kernel_names.js';
import { gruRecurrenceKernelFunc } from '../shared/gru-kernels.js';
import { wasmGruOps } from './gru-ops.js';

/** The wasm kernel config of FacelabGruRecurrence. */
export const facelabGruRecurrenceConfig: tf.KernelConfig = { kernelName: FacelabGruRecurrence, backendName: 'wasm', kernelFunc: gruRecurrenceKernelFunc(wasmGruOps) };
