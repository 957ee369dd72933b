/**
 * Kernels of the 'onednn' backend (the wasm backend's instance, like 'onnxruntime') that run on the optional
 * @facelab/onednn addon: the addon reads the inputs in place from the wasm heap and writes the result straight
 * into a new wasm tensor, with no copy on either side. Calls the addon does not handle (another layout, a
 * fused activation it has no post-op for, non-float32 inputs) go to the kernel it replaced ('onnxruntime''s).
 */
import { createRequire } from 'node:module';
// Type-only: @facelab/onednn is an optional peer, required at run time by loadOneDnnAddon.
import type { OneDnnBinding } from '@facelab/onednn';
import { withLoadTimeVariable } from '@facelab/runtime';
import { tf } from '../../../tf.js';
import type { WasmBackend } from '../../compat/wasm-backend.js';

/** What a oneDNN kernel receives. */
export interface OneDnnKernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
}

/** A call the addon handles: the outputs' shapes and the addon call that fills them from the inputs' heap views. */
export interface OneDnnCall {
  outShapes: number[][];
  run(addon: OneDnnBinding, outs: Float32Array[], view: (info: tf.TensorInfo) => Float32Array): void;
}

type OneDnnPackage = typeof import('@facelab/onednn');

let pkg: OneDnnPackage | undefined;
let addon: OneDnnBinding | undefined;

/** Loads @facelab/onednn's addon (an optional peer) once; throws one line with the reason when it cannot. */
export function loadOneDnnAddon(threads: number): OneDnnBinding {
  if (addon === undefined) {
    let loaded: OneDnnPackage;
    try {
      loaded = createRequire(import.meta.url)('@facelab/onednn') as OneDnnPackage;
    } catch {
      throw new Error('@facelab/onednn is not installed (npm install @facelab/onednn; it builds where libdnnl-dev is present)');
    }
    // OpenMP reads OMP_WAIT_POLICY once, when libgomp loads with the addon. Its default busy-waits after each
    // parallel region, which took the core that onnxruntime's and wasm's work needed next.
    addon = withLoadTimeVariable('OMP_WAIT_POLICY', 'passive', () => loaded.loadOneDnn());
    pkg = loaded;
  }
  addon.setThreads(threads);
  return addon;
}

/** The loaded @facelab/onednn package (its geometry packing and activation codes); only kernel plans call it, after loading. */
export function oneDnnPackage(): OneDnnPackage {
  if (pkg === undefined) throw new Error('@facelab/onednn is not loaded');
  return pkg;
}

/**
 * Wraps `plan` as a 'onednn' kernel config: `plan` returns undefined to hand the call to `fallback`, the kernel
 * it replaced (a kernel that replaces none has no fallback, and its callers send it only calls it takes).
 */
export function oneDnnKernel(kernelName: string, fallback: tf.KernelConfig | undefined, plan: (args: OneDnnKernelArgs) => OneDnnCall | undefined): tf.KernelConfig {
  const kernelFunc = (args: OneDnnKernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const inputs = Object.values(args.inputs);
    const call = addon !== undefined && inputs.every((t) => t === undefined || t.dtype === 'float32') ? plan(args) : undefined;
    if (call === undefined) {
      if (fallback === undefined) throw new Error(`${kernelName} on onednn: these inputs are not supported and there is no kernel to fall back to`);
      return fallback.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    // Allocate first: allocating may grow the wasm heap and detach views taken before.
    const outs = call.outShapes.map((shape) => args.backend.makeOutput(shape, 'float32'));
    const view = (info: tf.TensorInfo) => args.backend.typedArrayFromHeap(info) as Float32Array;
    call.run(addon!, outs.map(view), view);
    return outs.length === 1 ? outs[0]! : outs;
  };
  return { kernelName, backendName: 'onednn', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
