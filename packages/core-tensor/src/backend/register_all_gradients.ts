/** Registers the gradients of facelab's kernels (backend-independent; called by initBackend, idempotent). */
import { tf } from '../tf.js';
import { facelabBatchNormTrainGradConfig } from './gradients/FacelabBatchNormTrain_grad.js';
import { facelabGruRecurrenceGradConfig } from './gradients/FacelabGruRecurrence_grad.js';

const gradConfigs: tf.GradConfig[] = [facelabBatchNormTrainGradConfig, facelabGruRecurrenceGradConfig];

/** Registers every gradient of {@link gradConfigs} not registered yet. */
export function registerAllGradients(): void {
  for (const config of gradConfigs) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
}
