import { createRequire } from 'node:module';
import { env, loadOnnxRuntime, onnxThreads } from '@facelab/runtime';
import { tf } from '../tf.js';
import { withoutWasmProcessHandlers } from './compat/wasm-process-handlers.js';
import { withWasmThreads } from './compat/wasm-threads.js';
import { registerCpuKernels } from './kernels/cpu/register_all_kernels.js';
import { loadOneDnnAddon } from './kernels/onednn/onednn-kernel.js';
import { registerOneDnnKernels } from './kernels/onednn/register_all_kernels.js';
import { registerOnnxRuntimeKernels } from './kernels/onnxruntime/register_all_kernels.js';
import { registerWasmKernels } from './kernels/wasm/register_all_kernels.js';
import { registerWebGpuKernels } from './kernels/webgpu/register_all_kernels.js';
import { registerAllGradients } from './register_all_gradients.js';
import { loadWebGpu, type WebGpuAdapter } from './webgpu.js';

/**
 * Backend names facelab knows, in the order {@link initBackend} tries them. 'webgpu' runs on Dawn's WebGPU
 * (the optional `webgpu` and @tensorflow/tfjs-backend-webgpu packages; in the chain only on a hardware
 * adapter). 'onnxruntime' runs on the wasm backend's instance with its convolutions and matrix products on
 * onnxruntime-node (an optional dependency); 'onednn' is 'onnxruntime' with the convolutions and their
 * gradients on oneDNN (the optional @facelab/onednn addon, built where libdnnl-dev is installed).
 */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'onednn', 'onnxruntime', 'wasm', 'cpu'] as const;

/** A tfjs backend facelab can run on. */
export type BackendName = (typeof BACKEND_ORDER)[number];

const loaded = new Set<BackendName>();
let logged: string | undefined;
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | undefined;
let wasmThreadsNote = '';
let wasmInitialised = false;
let webgpuAdapter: WebGpuAdapter | undefined;

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

/** Threads asked for with `env.wasmThreads` (0 when fewer than 2). */
function requestedWasmThreads(): number {
  const n = env.wasmThreads;
  return n >= 2 ? n : 0;
}

/**
 * Imports the package behind a backend and registers it and facelab's kernels for it with tfjs (once per
 * process): each backend's one registration function, kernels/<backend>/register_all_kernels.ts. `named`:
 * the caller asked for this backend by name (a software WebGPU adapter is then accepted).
 */
async function load(name: BackendName, named: boolean): Promise<void> {
  // 'webgpu' is checked on every load: a software adapter loaded by name must not be taken by the chain later.
  if (loaded.has(name) && name !== 'webgpu') return;
  registerAllGradients();
  switch (name) {
    case 'tensorflow-gpu':
      // Optional peers: a user with CUDA installs them; a bare string import keeps them external.
      await import('@tensorflow/tfjs-node-gpu' as string);
      break;
    case 'tensorflow':
      await import('@tensorflow/tfjs-node' as string);
      break;
    case 'webgpu':
      webgpuAdapter = await loadWebGpu(named);
      registerWebGpuKernels();
      break;
    case 'onednn':
      await load('onnxruntime', named);
      loadOneDnnAddon(onnxThreads());
      registerOneDnnKernels();
      break;
    case 'onnxruntime':
      loadOnnxRuntime();
      await load('wasm', named);
      registerOnnxRuntimeKernels();
      break;
    case 'wasm':
      wasmModule = await import('@tensorflow/tfjs-backend-wasm');
      registerWasmKernels();
      break;
    case 'cpu':
      registerCpuKernels(); // the backend itself registers when tf-namespace.ts imports tfjs-backend-cpu
  }
  loaded.add(name);
}

/**
 * Initialises wasm with the threads `env.wasmThreads` asks for; any failure there falls back to one
 * thread (and is reported in the backend log line), so threads never make initBackend fail.
 */
async function setWasmBackend(): Promise<boolean> {
  // Threads are chosen once, when the backend first initialises (tf.findBackend would initialise it).
  if (wasmInitialised || wasmModule === undefined) return (wasmInitialised = await tf.setBackend('wasm'));
  const mod = wasmModule;
  try {
    const threads = requestedWasmThreads();
    if (threads === 0) return (wasmInitialised = await tf.setBackend('wasm'));
    if (await withWasmThreads(mod, threads, () => tf.setBackend('wasm'))) return (wasmInitialised = true);
    wasmThreadsNote = '; threaded init failed, single-threaded';
  } catch (err) {
    wasmThreadsNote = `; threads unavailable (${reason(err)})`;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  mod.setThreadsCount(1);
  return (wasmInitialised = await tf.setBackend('wasm'));
}

async function activate(name: BackendName, named = false): Promise<void> {
  await load(name, named);
  const onWasm = name === 'wasm' || name === 'onnxruntime' || name === 'onednn';
  // 'onnxruntime' and 'onednn' share the wasm instance, so wasm initialises first (with its threads); its glue's process
  // listeners, which would turn every uncaught exception into exit code 7, are removed as it does.
  if (onWasm && !(await withoutWasmProcessHandlers(setWasmBackend))) throw new Error("tf.setBackend('wasm') returned false");
  if (name !== 'wasm' && !(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Whether a package can be found from here (installed, whether or not it loads). */
function isInstalled(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/**
 * How to fix a native backend that did not load, or undefined when there is nothing to fix (tfjs-node and
 * tfjs-node-gpu are optional peers: not installing them is a choice; onnxruntime-node is an optional
 * dependency that npm drops without a word when its install fails).
 */
export function nativeBackendNote(name: BackendName, err: unknown, chosen: BackendName): string | undefined {
  const slower = `facelab runs on '${chosen}' instead`;
  if (name === 'onnxruntime') {
    return (
      `facelab: onnxruntime-node did not load (${reason(err)}); ${slower}, 3–7× slower for convolutions. ` +
      `Fix: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0 (the CPU build is in the npm package; ` +
      `the skip avoids its CUDA download). Silence: FACELAB_BACKEND=${chosen}.`
    );
  }
  if (name === 'onednn') {
    // An optional peer: not installing it is a choice; installed but not built is worth a line (a missing
    // onnxruntime-node, which it builds on, has its own).
    if (!isInstalled('@facelab/onednn') || !reason(err).startsWith('@facelab/onednn')) return undefined;
    return `facelab: ${reason(err)}; ${slower}, ~2× slower convolution training. Silence: FACELAB_BACKEND=${chosen}.`;
  }
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
    if (!isInstalled(pkg)) return undefined;
    return (
      `facelab: ${pkg} is installed but did not load (${reason(err)}); ${slower}. ` +
      `Fix: npm rebuild ${pkg} (its install script downloads libtensorflow), or uninstall it. Silence: FACELAB_BACKEND=${chosen}.`
    );
  }
  return undefined;
}

const noted = new Set<string>();

/**
 * Selects and initialises the best tfjs backend that loads and returns its name.
 * Order: `prefer`, else `env.backend` (FACELAB_BACKEND), else tensorflow-gpu, tensorflow, webgpu (on a
 * hardware adapter only; a named 'webgpu' also takes a software one), onednn, onnxruntime, wasm, cpu. `tf.getBackend()` then returns the same name. A named backend that is unknown or cannot load is an error naming it and the reason.
 */
export async function initBackend(prefer?: string): Promise<BackendName> {
  const named = prefer ?? env.backend;
  let chosen: BackendName;
  const skipped: string[] = [];
  if (named !== undefined && named !== '') {
    if (!isBackendName(named)) {
      throw new Error(`unknown backend '${named}': expected one of ${BACKEND_ORDER.join(', ')}`);
    }
    try {
      await activate(named, true);
    } catch (err) {
      throw new Error(`backend '${named}' cannot load: ${reason(err)}`);
    }
    chosen = named;
  } else {
    let found: BackendName | undefined;
    const failures: [BackendName, unknown][] = [];
    for (const name of BACKEND_ORDER) {
      try {
        await activate(name);
        found = name;
        break;
      } catch (err) {
        failures.push([name, err]);
        skipped.push(`${name} (${reason(err)})`);
      }
    }
    if (found === undefined) throw new Error(`no tfjs backend loads: ${skipped.join('; ')}`);
    chosen = found;
    for (const [name, err] of failures) {
      const note = nativeBackendNote(name, err, chosen);
      if (note !== undefined && !noted.has(name)) {
        noted.add(name);
        if (!env.quiet) console.error(note);
      }
    }
  }
  const line = `facelab: tfjs backend '${chosen}'${describe(chosen)}`;
  if (logged !== line) {
    logged = line;
    if (!env.quiet) console.error(line);
  }
  return chosen;
}

function describe(name: BackendName): string {
  if (name === 'webgpu' && webgpuAdapter !== undefined) return ` (${webgpuAdapter.software ? 'software' : 'hardware'} adapter: ${webgpuAdapter.description})`;
  if (name === 'onnxruntime') return ` (convolutions and products on ${onnxThreads()} thread(s); the rest on wasm${describe('wasm')})`;
  if (name === 'onednn') return ` (convolutions on oneDNN ${loadOneDnnAddon(onnxThreads()).info().version}, products on onnxruntime, ${onnxThreads()} thread(s); the rest on wasm${describe('wasm')})`;
  if (name !== 'wasm') return '';
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') && wasmModule !== undefined ? wasmModule.getThreadsCount() : 1;
  return ` (SIMD ${simd ? 'on' : 'off'}, threads ${threads > 1 ? threads : 'off'}${wasmThreadsNote})`;
}
