import { tf } from '../../../tf.js';
import { reducePlan } from './reduce-plan.js';
import { ortKernel } from './ort-kernel.js';

/** Sum over axes on onnxruntime (ReduceSum), falling back to `wasm`; the graph is reduce-plan.ts's. */
export const sumOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.Sum, wasm, reducePlan('ReduceSum'));
