/** FacelabBatchNormTrainGrad on the cpu backend: the shared loop kernel (shared/batch-norm-kernels.ts) over cpu buffers. */
import type { tf } from '../../../tf.js';
import { cpuBuffers } from '../../compat/cpu-backend.js';
import { FacelabBatchNormTrainGrad } from '../../kernel_names.js';
import { batchNormTrainGradKernelFunc } from '../shared/batch-norm-kernels.js';

/** The cpu kernel config of FacelabBatchNormTrainGrad. */
export const facelabBatchNormTrainGradConfig: tf.KernelConfig = { kernelName: FacelabBatchNormTrainGrad, backendName: 'cpu', kernelFunc: batchNormTrainGradKernelFunc(cpuBuffers) };
