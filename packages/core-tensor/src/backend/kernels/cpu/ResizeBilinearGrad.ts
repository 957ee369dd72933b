/** ResizeBilinearGrad on the cpu backend: the shared loop kernel (shared/resize-bilinear-grad.ts) over cpu buffers. */
import { tf } from '../../../tf.js';
import { cpuBuffers } from '../../compat/cpu-backend.js';
import { resizeBilinearGradKernelFunc } from '../shared/resize-bilinear-grad.js';

/** The cpu kernel config of ResizeBilinearGrad, replacing tfjs-backend-cpu's. */
export const resizeBilinearGradConfig: tf.KernelConfig = { kernelName: tf.ResizeBilinearGrad, backendName: 'cpu', kernelFunc: resizeBilinearGradKernelFunc(cpuBuffers) };
