import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it, vi } from 'vitest';
import { initBackend, tf } from '../src/index.js';

// Its own process (pool: forks): the wasm backend initialises here for the first time.
process.env.FACELAB_WASM_THREADS = 'two';

describe('wasm threads never make initBackend fail', () => {
  it('falls back to one thread on a bad FACELAB_WASM_THREADS and says why', async () => {
    const prevQuiet = process.env.FACELAB_QUIET;
    delete process.env.FACELAB_QUIET;
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await initBackend('wasm')).toBe('wasm');
    expect(log.mock.calls.flat().join('\n')).toMatch(
      /threads off; threads unavailable \(FACELAB_WASM_THREADS must be a non-negative integer, got 'two'\)/,
    );
    log.mockRestore();
    if (prevQuiet !== undefined) process.env.FACELAB_QUIET = prevQuiet;
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(wasmBackend.getThreadsCount()).toBe(1);
    // 1·4 + 2·5 + 3·6 = 32, on the single-threaded backend
    expect(tf.tidy(() => tf.dot(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6])).dataSync()[0])).toBe(32);
  });
});
