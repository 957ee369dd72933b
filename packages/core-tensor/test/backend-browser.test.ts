// initBrowserBackend's chain outside a browser: Node has no navigator.gpu and no WebGL, so the chain reports
// both and lands on wasm; a named backend starts or fails naming it; an unknown name lists the choices.
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_BACKEND_ORDER, initBrowserBackend } from '../src/backend/init-browser.js';
import { tf } from '../src/tf.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('initBrowserBackend', () => {
  it('tries webgpu → webgl → wasm → cpu and takes the first that starts (wasm here)', async () => {
    expect(BROWSER_BACKEND_ORDER).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(await initBrowserBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('starts a named backend, and names the one that cannot start and why', async () => {
    expect(await initBrowserBackend({ prefer: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await expect(initBrowserBackend({ prefer: 'webgpu' })).rejects.toThrow("backend 'webgpu' cannot start: this browser has no navigator.gpu");
    await expect(initBrowserBackend({ prefer: 'webgl' })).rejects.toThrow(/^backend 'webgl' cannot start: /);
    await expect(initBrowserBackend({ prefer: 'tensorflow' })).rejects.toThrow("unknown backend 'tensorflow': expected one of webgpu, webgl, wasm, cpu");
  });
});
