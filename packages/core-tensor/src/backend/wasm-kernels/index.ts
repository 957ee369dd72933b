import { tf } from '../../tf.js';

/** Kernel configs the wasm backend lacks for training, built from kernels it has. */
const kernels: tf.KernelConfig[] = [];

let registered = false;

/** Registers facelab's substitute training kernels for the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  registered = true;
}
