import { tf } from '../../../tf.js';
import { matMulPlan } from './mat-mul-plan.js';
import { ortKernel } from './ort-kernel.js';

/** _FusedMatMul (product + bias + activation) on onnxruntime, falling back to `wasm`; the graph is mat-mul-plan.ts's. */
export const fusedMatMulOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf._FusedMatMul, wasm, matMulPlan);
