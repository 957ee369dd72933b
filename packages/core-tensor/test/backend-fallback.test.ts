/** Without onnxruntime-node (an optional dependency that may fail to install), the chain falls to wasm. */
import { describe, expect, it, vi } from 'vitest';
import { env } from '@facelab/runtime';
import type { tf as Tf } from '../src/index.js';

vi.mock('../../runtime/src/onnx/session.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../runtime/src/onnx/session.js')>()),
  loadOnnxRuntime: () => {
    throw new Error("Cannot find module 'onnxruntime-node'");
  },
}));

describe('initBackend without onnxruntime-node', () => {
  it('picks wasm by default and names the reason when onnxruntime is asked for', async () => {
    const { initBackend, tf } = await import('../src/index.js');
    env.backend = undefined;
    expect(await initBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as Tf.Tensor4D, tf.ones([3, 3, 1, 1]) as Tf.Tensor4D, 1, 'same').dataSync()[5])).toBe(9);
    await expect(initBackend('onnxruntime')).rejects.toThrow(/backend 'onnxruntime' cannot load: Cannot find module 'onnxruntime-node'/);
  });
});
