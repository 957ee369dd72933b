/**
 * Backend selection in a web page: webgpu → webgl → wasm → cpu, each imported only when tried (the optional
 * peers @tensorflow/tfjs-backend-webgpu, -webgl and -wasm become lazy chunks in an app's bundle), with
 * facelab's kernels for it registered by its one registration function. No Node built-in is used here.
 */
import { tf } from '../tf.js';
import { registerCpuKernels } from './kernels/cpu/register_all_kernels.js';
import { registerWasmKernels } from './kernels/wasm/register_all_kernels.js';
import { registerWebGpuKernels } from './kernels/webgpu/register_all_kernels.js';
import { registerAllGradients } from './register_all_gradients.js';

/** Backend names {@link initBrowserBackend} knows, in the order it tries them. */
export const BROWSER_BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A tfjs backend facelab runs on in a browser. */
export type BrowserBackendName = (typeof BROWSER_BACKEND_ORDER)[number];

/** Options of {@link initBrowserBackend}. */
export interface BrowserBackendOptions {
  /** Backend to use; an unknown name, or one that cannot start, is an error. Default: the first of the chain that starts. */
  prefer?: string;
  /**
   * Where tfjs-backend-wasm's `.wasm` files are served (a URL prefix ending in '/', or a map file name → URL),
   * passed to its `setWasmPaths` before it initialises. Default: tfjs's own lookup, next to the script.
   */
  wasmPaths?: string | Record<string, string>;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<unknown> };
}

const imported = new Set<BrowserBackendName>();

function isBrowserBackendName(name: string): name is BrowserBackendName {
  return (BROWSER_BACKEND_ORDER as readonly string[]).includes(name);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Imports the package behind `name` (once) and registers facelab's kernels and gradients for it. */
async function load(name: BrowserBackendName, options: BrowserBackendOptions): Promise<void> {
  registerAllGradients();
  if (imported.has(name)) return;
  switch (name) {
    case 'webgpu': {
      const gpu = (globalThis as { navigator?: GpuNavigator }).navigator?.gpu;
      if (gpu === undefined) throw new Error('this browser has no navigator.gpu (WebGPU is off or unsupported)');
      if ((await gpu.requestAdapter()) === null) throw new Error('navigator.gpu offers no adapter');
      await import('@tensorflow/tfjs-backend-webgpu');
      registerWebGpuKernels();
      break;
    }
    case 'webgl':
      // No facelab kernels: the fused training ops compose tfjs ops where their kernel is not registered.
      await import('@tensorflow/tfjs-backend-webgl');
      break;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      registerWasmKernels();
      break;
    }
    case 'cpu':
      registerCpuKernels(); // the backend itself registers when tf-namespace.ts imports tfjs-backend-cpu
  }
  imported.add(name);
}

async function activate(name: BrowserBackendName, options: BrowserBackendOptions): Promise<void> {
  await load(name, options);
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/**
 * Selects and initialises a tfjs backend in a browser and returns its name: `options.prefer`, else the first of
 * webgpu, webgl, wasm, cpu that starts. A named backend that is unknown or cannot start is an error naming it and
 * the reason; when none starts, the error lists each one's reason.
 */
export async function initBrowserBackend(options: BrowserBackendOptions = {}): Promise<BrowserBackendName> {
  const { prefer } = options;
  if (prefer !== undefined && prefer !== '') {
    if (!isBrowserBackendName(prefer)) throw new Error(`unknown backend '${prefer}': expected one of ${BROWSER_BACKEND_ORDER.join(', ')}`);
    try {
      await activate(prefer, options);
    } catch (err) {
      throw new Error(`backend '${prefer}' cannot start: ${reason(err)}`);
    }
    return prefer;
  }
  const skipped: string[] = [];
  for (const name of BROWSER_BACKEND_ORDER) {
    try {
      await activate(name, options);
      return name;
    } catch (err) {
      skipped.push(`${name} (${reason(err)})`);
    }
  }
  throw new Error(`no tfjs backend starts: ${skipped.join('; ')}`);
}
