import { tf } from '../tf.js';
import { loadOnnxRuntime, onnxThreads, useOnnxKernels } from './onnxruntime/index.js';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';
import { requestedWasmThreads, withWasmThreads } from './wasm-threads.js';

/**
 * Backend names facelab knows, in the order {@link initBackend} tries them. 'onnxruntime' is the wasm
 * backend with its convolutions and matrix products on onnxruntime-node (an optional dependency).
 */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'onnxruntime', 'wasm', 'cpu'] as const;

/** A tfjs backend facelab can run on. */
export type BackendName = (typeof BACKEND_ORDER)[number];

const loaded = new Set<BackendName>();
let logged: string | undefined;
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | undefined;
let wasmThreadsNote = '';
let wasmInitialised = false;

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

/** Imports the package behind a backend and registers it with tfjs (once per process). */
async function load(name: BackendName): Promise<void> {
  if (loaded.has(name)) return;
  switch (name) {
    case 'tensorflow-gpu':
      // Optional peers: a user with CUDA installs them; a bare string import keeps them external.
      await import('@tensorflow/tfjs-node-gpu' as string);
      break;
    case 'tensorflow':
      await import('@tensorflow/tfjs-node' as string);
      break;
    case 'onnxruntime':
      loadOnnxRuntime();
      await load('wasm');
      break;
    case 'wasm':
      wasmModule = await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
      break;
    case 'cpu':
      break; // bundled with @tensorflow/tfjs
  }
  loaded.add(name);
}

/**
 * Initialises wasm with the threads FACELAB_WASM_THREADS asks for; any failure there falls back to one
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

async function activate(name: BackendName): Promise<void> {
  await load(name);
  const onWasm = name === 'wasm' || name === 'onnxruntime';
  const ok = onWasm ? await setWasmBackend() : await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name === 'onnxruntime' ? 'wasm' : name}') returned false`);
  await tf.ready();
  // After the wasm backend initialised, so the kernels the ORT ones displace have run their setup.
  if (onWasm) useOnnxKernels(name === 'onnxruntime');
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/**
 * Selects and initialises the best tfjs backend that loads and returns its name.
 * Order: `prefer`, else the `FACELAB_BACKEND` environment variable, else tensorflow-gpu, tensorflow,
 * wasm, cpu. A named backend that is unknown or cannot load is an error naming it and the reason.
 */
export async function initBackend(prefer?: string): Promise<BackendName> {
  const named = prefer ?? process.env.FACELAB_BACKEND ?? undefined;
  let chosen: BackendName;
  let skipped: string[] = [];
  if (named !== undefined && named !== '') {
    if (!isBackendName(named)) {
      throw new Error(`unknown backend '${named}': expected one of ${BACKEND_ORDER.join(', ')}`);
    }
    try {
      await activate(named);
    } catch (err) {
      throw new Error(`backend '${named}' cannot load: ${reason(err)}`);
    }
    chosen = named;
  } else {
    let found: BackendName | undefined;
    for (const name of BACKEND_ORDER) {
      try {
        await activate(name);
        found = name;
        break;
      } catch (err) {
        skipped.push(`${name} (${reason(err)})`);
      }
    }
    if (found === undefined) throw new Error(`no tfjs backend loads: ${skipped.join('; ')}`);
    chosen = found;
  }
  const line = `facelab: tfjs backend '${chosen}'${describe(chosen)}`;
  if (logged !== line) {
    logged = line;
    if (process.env.FACELAB_QUIET !== '1') console.error(line);
  }
  return chosen;
}

function describe(name: BackendName): string {
  if (name === 'onnxruntime') return ` (convolutions and products on ${onnxThreads()} thread(s); the rest on wasm${describe('wasm')})`;
  if (name !== 'wasm') return '';
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') && wasmModule !== undefined ? wasmModule.getThreadsCount() : 1;
  return ` (SIMD ${simd ? 'on' : 'off'}, threads ${threads > 1 ? threads : 'off'}${wasmThreadsNote})`;
}
