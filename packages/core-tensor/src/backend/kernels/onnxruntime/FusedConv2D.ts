import { tf } from '../../../tf.js';
import { convPlan } from './conv2d-plan.js';
import { ortKernel } from './ort-kernel.js';

/** FusedConv2D (conv + bias + activation, NHWC) on onnxruntime, falling back to `wasm`; the graph is conv2d-plan.ts's. */
export const fusedConv2dOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.FusedConv2D, wasm, convPlan);
