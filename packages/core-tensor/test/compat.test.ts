/**
 * Each quirk in src/backend/compat/ touches a pinned dependency's private internals: these fail when the
 * installed version moves off the pin it was written for, so the quirk is re-checked (or removed) then.
 */
import { createRequire } from 'node:module';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { CPU_BACKEND_PIN } from '../src/backend/compat/cpu-backend.js';
import { WASM_BACKEND_PIN } from '../src/backend/compat/wasm-backend.js';
import { WASM_THREADS_VERSION } from '../src/backend/compat/wasm-threads.js';

const require = createRequire(import.meta.url);
const installed = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

describe('compat quirks match the installed versions they were written for', () => {
  it('cpu-backend.ts: tfjs-backend-cpu buffers', () => {
    expect(installed(CPU_BACKEND_PIN.name)).toBe(CPU_BACKEND_PIN.version);
  });
  it('wasm-backend.ts and wasm-batch-mat-mul.ts: tfjs-backend-wasm heap and module', () => {
    expect(installed(WASM_BACKEND_PIN.name)).toBe(WASM_BACKEND_PIN.version);
    expect(wasmBackend.version_wasm).toBe(WASM_BACKEND_PIN.version);
  });
  it('wasm-threads.ts: tfjs-backend-wasm bundle patch', () => {
    expect(wasmBackend.version_wasm).toBe(WASM_THREADS_VERSION);
  });
});
