/** FacelabBatchNormTrain on the cpu backend: the shared loop kernel (shared/batch-norm-kernels.ts) over cpu buffers. */
import type { tf } from '../../../tf.js';
import { cpuBuffers } from '../../compat/cpu-backend.js';
import { FacelabBatchNormTrain } from '../../kernel_names.js';
import { batchNormTrainKernelFunc } from '../shared/batch-norm-kernels.js';

/** The cpu kernel config of FacelabBatchNormTrain. */
export const facelabBatchNormTrainConfig: tf.KernelConfig = { kernelName: FacelabBatchNormTrain, backendName: 'cpu', kernelFunc: batchNormTrainKernelFunc(cpuBuffers) };
