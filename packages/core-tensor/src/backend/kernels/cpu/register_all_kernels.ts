/** The cpu backend's kernels from facelab: the fused batch-norm and GRU kernels (tfjs's own ship with @tensorflow/tfjs-backend-cpu). */
import { tf } from '../../../tf.js';
import { facelabBatchNormTrainConfig } from './FacelabBatchNormTrain.js';
import { facelabBatchNormTrainGradConfig } from './FacelabBatchNormTrainGrad.js';
import { facelabGruRecurrenceConfig } from './FacelabGruRecurrence.js';
import { facelabGruRecurrenceGradConfig } from './FacelabGruRecurrenceGrad.js';

const kernelConfigs: tf.KernelConfig[] = [
  facelabBatchNormTrainConfig,
  facelabBatchNormTrainGradConfig,
  facelabGruRecurrenceConfig,
  facelabGruRecurrenceGradConfig,
];

/** Registers facelab's cpu kernels (idempotent); called by initBackend. */
export function registerCpuKernels(): void {
  for (const config of kernelConfigs) {
    if (tf.getKernel(config.kernelName, 'cpu') === undefined) tf.registerKernel(config);
  }
}
