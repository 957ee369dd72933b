/** Registers the gradients of facelab's kernels (backend-independent; called by initBackend, idempotent). */
import { tf } from '../tf.js';
import { conv2DGradConfig } from './gradients/Conv2D_grad.js';
import { facelabBatchNormTrainGradConfig } from './gradients/FacelabBatchNormTrain_grad.js';
import { facelabGruRecurrenceGradConfig } from './gradients/FacelabGruRecurrence_grad.js';
import { preluGradConfig } from './gradients/Prelu_grad.js';

const gradConfigs: tf.GradConfig[] = [facelabBatchNormTrainGradConfig, facelabGruRecurrenceGradConfig];

/** tfjs-core gradients replaced (see each file): kernel name and a factory given the shipped config. */
const overrides: [string, (shipped: tf.GradConfig) => tf.GradConfig][] = [
  [tf.Conv2D, conv2DGradConfig],
  [tf.Prelu, preluGradConfig],
];

let overridden = false;

/** Registers every gradient of {@link gradConfigs} not registered yet, and the overrides once. */
export function registerAllGradients(): void {
  for (const config of gradConfigs) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
  if (overridden) return;
  for (const [name, make] of overrides) {
    const shipped = tf.getGradient(name);
    if (shipped === undefined) throw new Error(`tfjs-core registers no gradient for '${name}': nothing to extend`);
    tf.registerGradient(make(shipped));
  }
  overridden = true;
}
