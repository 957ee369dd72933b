import { tf } from '../../../tf.js';
import { reducePlan } from './reduce-plan.js';
import { ortKernel } from './ort-kernel.js';

/** Mean over axes on onnxruntime (ReduceMean), falling back to `wasm`; the graph is reduce-plan.ts's. */
export const meanOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.Mean, wasm, reducePlan('ReduceMean'));
