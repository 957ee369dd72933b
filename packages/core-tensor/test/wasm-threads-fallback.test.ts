import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it, vi } from 'vitest';
import { applyEnvironment, env } from '@facelab/runtime';
import { initBackend, tf } from '../src/index.js';

// Its own process (pool: forks): the wasm backend initialises here for the first time.
applyEnvironment({ FACELAB_WASM_THREADS: 'two' }); // as if the variable were set so

describe('wasm threads never make initBackend fail', () => {
  it('falls back to one thread on a bad FACELAB_WASM_THREADS and says why', async () => {
    const prevQuiet = env.quiet;
    env.quiet = false;
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await initBackend('wasm')).toBe('wasm');
    expect(log.mock.calls.flat().join('\n')).toMatch(
      /threads off; threads unavailable \(FACELAB_WASM_THREADS must be a non-negative integer, got 'two'\)/,
    );
    log.mockRestore();
    env.quiet = prevQuiet;
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(wasmBackend.getThreadsCount()).toBe(1);
    // 1·4 + 2·5 + 3·6 = 32, on the single-threaded backend
    expect(tf.tidy(() => tf.dot(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6])).dataSync()[0])).toBe(32);
  });
});
