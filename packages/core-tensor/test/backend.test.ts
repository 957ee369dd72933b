import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { addonPath } from '@facelab/onednn';
import { env } from '@facelab/runtime';
import { initBackend, tf } from '../src/index.js';

describe('initBackend', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('picks onednn where its addon is built, else onnxruntime: tfjs-node cannot install here, onnxruntime-node can', async () => {
    const prev = env.backend;
    env.backend = undefined;
    const expected = existsSync(addonPath()) ? 'onednn' : 'onnxruntime';
    expect(await initBackend()).toBe(expected);
    expect(tf.getBackend()).toBe(expected); // the wasm backend's instance, with ORT (and oneDNN) kernels registered for it
    env.backend = prev;
  });

  it('honours env.backend (FACELAB_BACKEND) and switches backends at run time', async () => {
    const prev = env.backend;
    env.backend = 'cpu';
    expect(await initBackend()).toBe('cpu');
    env.backend = prev;
    expect(await initBackend('wasm')).toBe('wasm');
    const s = tf.tidy(() => tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(s).toBe(6);
  });

  it('names an unknown backend and a backend that cannot load', async () => {
    await expect(initBackend('metal')).rejects.toThrow(/unknown backend 'metal'/);
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' cannot load: .*tfjs-node/);
  });
});
