import { tf } from '../../../tf.js';
import { convPlan } from './conv2d-plan.js';
import { ortKernel } from './ort-kernel.js';

/** Conv2D (NHWC) on onnxruntime, falling back to `wasm`; the graph is conv2d-plan.ts's. */
export const conv2dOrt = (wasm: tf.KernelConfig): tf.KernelConfig => ortKernel(tf.Conv2D, wasm, convPlan);
