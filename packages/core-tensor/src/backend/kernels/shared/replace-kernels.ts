/** Replacing a backend's shipped kernels with facelab's, for each backend's register_all_kernels.ts. */
import { tf } from '../../../tf.js';

/** A shipped kernel to replace: its name and a factory given the shipped config (for replacements that delegate to it). */
export type KernelOverride = [name: string, make: (shipped: tf.KernelConfig) => tf.KernelConfig];

/**
 * Replaces each named kernel of `backend` with the config its factory makes; a name the backend does not
 * ship (a version other than the pinned one) is left alone, or, when `required` (replacements that fall back
 * to the kernel they replace), is an error naming the kernel.
 */
export function replaceKernels(backend: string, overrides: readonly KernelOverride[], { required = false } = {}): void {
  for (const [name, make] of overrides) {
    const shipped = tf.getKernel(name, backend);
    if (shipped === undefined && required) throw new Error(`'${backend}' has no kernel '${name}': its replacement has nothing to fall back to`);
    if (shipped === undefined) continue;
    tf.unregisterKernel(name, backend);
    tf.registerKernel(make(shipped));
  }
}
