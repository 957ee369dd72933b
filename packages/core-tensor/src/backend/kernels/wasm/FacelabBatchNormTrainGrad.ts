/** FacelabBatchNormTrainGrad on the wasm backend: the shared loop kernel (shared/batch-norm-kernels.ts) over wasm buffers. */
import type { tf } from '../../../tf.js';
import { wasmBuffers } from '../../compat/wasm-backend.js';
import { FacelabBatchNormTrainGrad } from '../../kernel_names.js';
import { batchNormTrainGradKernelFunc } from '../shared/batch-norm-kernels.js';

/** The wasm kernel config of FacelabBatchNormTrainGrad. */
export const facelabBatchNormTrainGradConfig: tf.KernelConfig = { kernelName: FacelabBatchNormTrainGrad, backendName: 'wasm', kernelFunc: batchNormTrainGradKernelFunc(wasmBuffers) };
