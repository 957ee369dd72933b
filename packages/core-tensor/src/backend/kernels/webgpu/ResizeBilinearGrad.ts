/**
 * ResizeBilinearGrad on the webgpu backend: tfjs-backend-webgpu 4.22.0's shader ignores halfPixelCenters
 * and so returns a wrong gradient for it. This kernel runs the shipped shader without halfPixelCenters (the
 * mode facelab's layers use) and throws with it, rather than return wrong numbers. A kernel function cannot
 * run the host loop (shared/resize-bilinear-grad.ts) here: reading a webgpu tensor synchronously needs
 * OffscreenCanvas, which Node lacks.
 */
import type { tf } from '../../../tf.js';

/** The webgpu kernel config of ResizeBilinearGrad, given tfjs-backend-webgpu's. */
export function resizeBilinearGradConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    if (args.attrs?.halfPixelCenters) {
      throw new Error(
        "resizeBilinear's gradient with halfPixelCenters is not supported on 'webgpu' (tfjs-backend-webgpu 4.22.0 ignores it); use the 'wasm' backend",
      );
    }
    return shipped.kernelFunc(args);
  };
  return { ...shipped, kernelFunc };
}
