import { afterEach, describe, expect, it } from 'vitest';
import { applyEnvironment, env, processVariables, withLoadTimeVariable } from '../src/index.js';

describe('env', () => {
  const saved = { ortThreads: env.ortThreads, ortMinFlops: env.ortMinFlops, wasmThreads: env.wasmThreads, quiet: env.quiet };
  afterEach(() => {
    Object.assign(env, saved);
  });

  it('reads FACELAB_* variables into typed fields', () => {
    applyEnvironment({ FACELAB_ORT_THREADS: '3', FACELAB_ORT_MIN_FLOPS: '0', FACELAB_QUIET: '1', FACELAB_WASM_THREADS: '' });
    expect([env.ortThreads, env.ortMinFlops, env.quiet, env.wasmThreads]).toEqual([3, 0, true, 0]);
  });

  it('refuses an invalid assignment at once and reports an invalid variable where the field is read', () => {
    expect(() => (env.ortThreads = 0)).toThrow(/env.ortThreads must be a positive integer, got 0/);
    applyEnvironment({ FACELAB_WASM_THREADS: 'two' });
    expect(() => env.wasmThreads).toThrow(/FACELAB_WASM_THREADS must be a non-negative integer, got 'two'/);
    env.wasmThreads = 2;
    expect(env.wasmThreads).toBe(2);
  });
});

describe('process variables for native libraries', () => {
  it('withLoadTimeVariable sets a variable only while `load` runs, keeps a user value, and removes ours even when load throws', () => {
    const name = 'FACELAB_TEST_LOAD_TIME_VARIABLE';
    expect(processVariables()[name]).toBeUndefined();
    expect(withLoadTimeVariable(name, 'passive', () => processVariables()[name])).toBe('passive');
    expect(processVariables()[name]).toBeUndefined();
    expect(() => withLoadTimeVariable(name, 'passive', () => { throw new Error('load failed'); })).toThrow('load failed');
    expect(processVariables()[name]).toBeUndefined();
    process.env[name] = 'active';
    try {
      expect(withLoadTimeVariable(name, 'passive', () => processVariables()[name])).toBe('active');
      expect(processVariables()[name]).toBe('active');
    } finally {
      delete process.env[name];
    }
  });
});
