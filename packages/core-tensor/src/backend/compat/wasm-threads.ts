/**
 * Quirk: multi-threaded tfjs-backend-wasm under Node (opt-in: `env.wasmThreads` ≥ 2, FACELAB_WASM_THREADS).
 * Remove when tfjs-backend-wasm supports threads under Node itself (then set its thread count and drop this
 * file); the pinned version is WASM_THREADS_VERSION.
 *
 * tfjs-backend-wasm 4.22.0 turns threads off under Node. Enabling them takes four changes, all undone after
 * the backend has initialised: (1) the WASM_HAS_MULTITHREAD_SUPPORT flag; (2) the pthread worker script and
 * the main script are handed to workers as blob: URLs, which worker_threads rejects, so they are written to
 * a temp directory instead; (3) the main script's text refers to the bundle's module aliases (require$$0,
 * commonjsGlobal, ...), undefined in a worker, so a preamble defines them; (4) the C side caps the XNNPACK
 * pool at half the logical cores, so os.cpus() reports double while it starts. This patches one version's
 * bundle internals: it checks the version and the scripts' shape first and throws, never guesses.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { tf } from '../../tf.js';

/** The one tfjs-backend-wasm version whose bundle this understands. */
export const WASM_THREADS_VERSION = '4.22.0';

const WORKER_LOAD =
  /if\(typeof e\.data\.urlOrBlob=="string"\)\{importScripts\(e\.data\.urlOrBlob\)\}else\{var objectUrl=URL\.createObjectURL\(e\.data\.urlOrBlob\);importScripts\(objectUrl\);URL\.revokeObjectURL\(objectUrl\)\}/;
const MAIN_PREFIX = 'var WasmBackendModuleThreadedSimd = ';

/** Writes via a temp file and rename, so processes sharing the directory never see a half-written script. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Throws unless `text` parses as a script (a bad rewrite must fail here, not crash a worker). */
function checkSyntax(text: string, what: string): void {
  try {
    new Script(text);
  } catch (err) {
    throw new Error(`wasm threads: rewritten ${what} does not parse: ${(err as Error).message}`);
  }
}

/**
 * Runs `init` (which must initialise the wasm backend) with threads enabled, restoring every patched global
 * afterwards. `wasm` is the imported @tensorflow/tfjs-backend-wasm module.
 */
export async function withWasmThreads<T>(
  wasm: { version_wasm: string; setThreadsCount(n: number): void },
  threads: number,
  init: () => Promise<T>,
): Promise<T> {
  if (wasm.version_wasm !== WASM_THREADS_VERSION) {
    throw new Error(`wasm threads need tfjs-backend-wasm ${WASM_THREADS_VERSION}, found ${wasm.version_wasm}`);
  }
  // One directory per version and user, rewritten on each start (the scripts are the same every time).
  const dir = join(os.tmpdir(), `facelab-wasm-${WASM_THREADS_VERSION}-${os.userInfo().uid}`);
  mkdirSync(dir, { recursive: true });
  const mainPath = join(dir, 'main.js');
  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  let workerPath: string | undefined;

  globalThis.Blob = class extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0];
      if (parts?.every((p) => typeof p === 'string')) {
        const text = parts.join('');
        texts.set(this, text);
        if (text.startsWith(MAIN_PREFIX)) {
          const preamble =
            "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks')," +
            `require$$4=require('os'),commonjsGlobal=globalThis,__filename=${JSON.stringify(mainPath)},` +
            `__dirname=${JSON.stringify(dir)};\n`;
          checkSyntax(preamble + text, 'main script');
          writeAtomic(mainPath, preamble + text);
        }
      }
    }
  };
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined || !WORKER_LOAD.test(text)) return realCreateObjectURL(blob);
    if (workerPath === undefined) {
      const worker = text.replace(WORKER_LOAD, `importScripts(${JSON.stringify(mainPath)});`);
      checkSyntax(worker, 'worker script');
      workerPath = join(dir, 'worker.js');
      writeAtomic(workerPath, worker);
    }
    return workerPath;
  };
  os.cpus = () => [...realCpus(), ...realCpus()];
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  try {
    return await init();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    os.cpus = realCpus;
  }
}
