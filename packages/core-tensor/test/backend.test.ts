import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';

describe('initBackend', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('picks onnxruntime here, where tfjs-node cannot install and onnxruntime-node can', async () => {
    const prev = process.env.FACELAB_BACKEND;
    delete process.env.FACELAB_BACKEND;
    expect(await initBackend()).toBe('onnxruntime');
    expect(tf.getBackend()).toBe('wasm'); // the wasm backend, with ORT kernels registered in it
    if (prev !== undefined) process.env.FACELAB_BACKEND = prev;
  });

  it('honours FACELAB_BACKEND and switches backends at run time', async () => {
    process.env.FACELAB_BACKEND = 'cpu';
    expect(await initBackend()).toBe('cpu');
    delete process.env.FACELAB_BACKEND;
    expect(await initBackend('wasm')).toBe('wasm');
    const s = tf.tidy(() => tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(s).toBe(6);
  });

  it('names an unknown backend and a backend that cannot load', async () => {
    await expect(initBackend('metal')).rejects.toThrow(/unknown backend 'metal'/);
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' cannot load: .*tfjs-node/);
  });
});
