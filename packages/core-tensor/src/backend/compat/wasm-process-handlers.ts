/**
 * Quirk: tfjs-backend-wasm's emscripten glue, when its module initialises under Node, adds two process
 * listeners — `uncaughtException` (`if (!(ex instanceof ExitStatus)) throw ex`) and `unhandledRejection`
 * (`throw reason`). A listener that throws makes Node exit at once with code 7, so after the wasm backend (or
 * onnxruntime, which runs on it) started, every uncaught exception or unhandled rejection killed the process
 * even where the application had its own handler. The glue's `_dispose` meant to remove them, but its filter
 * (`!list.indexOf(l) > -1`) is always false. {@link withoutWasmProcessHandlers} removes exactly the listeners of
 * that shape which the initialisation added. Written for @tensorflow/tfjs-backend-wasm 4.22.0 (its pin is
 * {@link WASM_BACKEND_PIN}); remove when the glue stops installing them (the pin test then finds none).
 */
import { WASM_BACKEND_PIN } from './wasm-backend.js';

/** The tfjs-backend-wasm version whose glue installs the listeners. */
export const WASM_PROCESS_HANDLERS_PIN = WASM_BACKEND_PIN;

/** The process events the glue listens to. */
export const WASM_PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** The glue's listeners: one parameter, rethrown (after an `instanceof ExitStatus` test for exceptions). */
const RETHROW = /^function\s*\(\s*(\w+)\s*\)\s*\{\s*(if\s*\(\s*!\s*\(\s*\1\s+instanceof\s+\w+\s*\)\s*\)\s*\{?\s*)?throw\s+\1\s*;?\s*\}?\s*\}$/;

/** Whether `listener` is one of the emscripten glue's rethrowing listeners (by its source text). */
export function isWasmGlueListener(listener: (...args: unknown[]) => void): boolean {
  return RETHROW.test(Function.prototype.toString.call(listener));
}

/**
 * Runs `init` (which may initialise the wasm module) and then removes the rethrowing process listeners it
 * added; listeners that were there before, and any of another shape, stay.
 */
export async function withoutWasmProcessHandlers<T>(init: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process; // untyped events: the typed overloads take one event name each
  const before = new Map(WASM_PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await init();
  } finally {
    for (const event of WASM_PROCESS_EVENTS) {
      for (const l of emitter.listeners(event)) {
        if (!before.get(event)!.has(l) && isWasmGlueListener(l as (...args: unknown[]) => void)) emitter.removeListener(event, l as (...args: unknown[]) => void);
      }
    }
  }
}
