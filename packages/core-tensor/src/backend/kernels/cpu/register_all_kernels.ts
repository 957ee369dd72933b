/**
 * The cpu backend's kernels from facelab: the fused batch-norm and GRU kernels, and ResizeBilinearGrad in
 * place of tfjs-backend-cpu's (wrong output shape on non-square images; tfjs's own kernels ship with
 * @tensorflow/tfjs-backend-cpu).
 */
import { tf } from '../../../tf.js';
import { facelabBatchNormTrainConfig } from './FacelabBatchNormTrain.js';
import { facelabBatchNormTrainGradConfig } from './FacelabBatchNormTrainGrad.js';
import { facelabGruRecurrenceConfig } from './FacelabGruRecurrence.js';
import { facelabGruRecurrenceGradConfig } from './FacelabGruRecurrenceGrad.js';
import { resizeBilinearGradConfig } from './ResizeBilinearGrad.js';

const kernelConfigs: tf.KernelConfig[] = [
  facelabBatchNormTrainConfig,
  facelabBatchNormTrainGradConfig,
  facelabGruRecurrenceConfig,
  facelabGruRecurrenceGradConfig,
];

/** Shipped cpu kernels replaced because they are wrong (see each file). */
const overrides: tf.KernelConfig[] = [resizeBilinearGradConfig];

let overridden = false;

/** Registers facelab's cpu kernels and replacements (idempotent); called by initBackend. */
export function registerCpuKernels(): void {
  for (const config of kernelConfigs) {
    if (tf.getKernel(config.kernelName, 'cpu') === undefined) tf.registerKernel(config);
  }
  if (overridden) return;
  for (const config of overrides) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
  overridden = true;
}
