// Public API of src/losses: differentiable tf losses returning scalars, for use inside tf.tidy / minimize.
export { mseLoss, maeLoss, smoothL1Loss, type SmoothL1Options } from './regression.js';
export { crossEntropyLoss, type CrossEntropyOptions } from './cross-entropy.js';
export { cccLoss } from './ccc.js';
export { klDistillationLoss, type DistillationOptions } from './distillation.js';
export { ganDiscriminatorLoss, ganGeneratorLoss, type GanLossKind, type GanLossOptions } from './gan.js';
