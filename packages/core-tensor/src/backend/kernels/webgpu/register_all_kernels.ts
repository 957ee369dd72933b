/**
 * The webgpu backend's kernels from facelab. tfjs-backend-webgpu 4.22.0 has every training kernel facelab's
 * models use (checked by each package's GPU suite, test/gpu/, against wasm), so nothing is added for
 * training. facelab's fused kernels (FacelabBatchNormTrain, FacelabGruRecurrence and their gradients) are
 * CPU loops over host memory and are not registered here: their ops (ops/batch-norm-training.ts,
 * ops/gru-recurrence.ts) then compose tfjs ops, which run on the GPU. Replaced: ResizeBilinearGrad, whose
 * shipped kernel ignores halfPixelCenters (ResizeBilinearGrad.ts: it throws in that mode).
 */
import { tf } from '../../../tf.js';
import { replaceKernels, type KernelOverride } from '../shared/replace-kernels.js';
import { resizeBilinearGradConfig } from './ResizeBilinearGrad.js';

/** Shipped webgpu kernels replaced because they are wrong (see each file). */
const overrides: KernelOverride[] = [[tf.ResizeBilinearGrad, resizeBilinearGradConfig]];

let registered = false;

/** Registers facelab's webgpu kernel replacements (idempotent); called by initBackend after tfjs-backend-webgpu is imported. */
export function registerWebGpuKernels(): void {
  if (registered) return;
  replaceKernels('webgpu', overrides);
  registered = true;
}
