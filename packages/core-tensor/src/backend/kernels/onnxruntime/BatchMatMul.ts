import { tf } from '../../../tf.js';
import { matMulPlan } from './mat-mul-plan.js';
import { ortKernel } from './ort-kernel.js';

/** BatchMatMul on onnxruntime, falling back to `wasm`; the graph is mat-mul-plan.ts's. */
export const batchMatMulOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.BatchMatMul, wasm, matMulPlan);
