/** FacelabBatchNormTrain on the wasm backend: the shared loop kernel (shared/batch-norm-kernels.ts) over wasm buffers. */
import type { tf } from '../../../tf.js';
import { wasmBuffers } from '../../compat/wasm-backend.js';
import { FacelabBatchNormTrain } from '../../kernel_names.js';
import { batchNormTrainKernelFunc } from '../shared/batch-norm-kernels.js';

/** The wasm kernel config of FacelabBatchNormTrain. */
export const facelabBatchNormTrainConfig: tf.KernelConfig = { kernelName: FacelabBatchNormTrain, backendName: 'wasm', kernelFunc: batchNormTrainKernelFunc(wasmBuffers) };
