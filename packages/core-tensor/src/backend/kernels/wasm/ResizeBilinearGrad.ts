/** ResizeBilinearGrad on the wasm backend: the shared loop kernel (shared/resize-bilinear-grad.ts) over wasm buffers. */
import { tf } from '../../../tf.js';
import { wasmBuffers } from '../../compat/wasm-backend.js';
import { resizeBilinearGradKernelFunc } from '../shared/resize-bilinear-grad.js';

/** The wasm kernel config of ResizeBilinearGrad, replacing tfjs-backend-wasm's (the 'onnxruntime' backend copies it). */
export const resizeBilinearGradConfig: tf.KernelConfig = { kernelName: tf.ResizeBilinearGrad, backendName: 'wasm', kernelFunc: resizeBilinearGradKernelFunc(wasmBuffers) };
