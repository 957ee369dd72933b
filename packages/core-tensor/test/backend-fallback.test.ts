/**
 * Without onnxruntime-node (an optional dependency that may fail to install), the chain falls to wasm and says
 * once why and how to fix it.
 */
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
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await initBackend()).toBe('wasm');
    expect(await initBackend()).toBe('wasm');
    const lines = errors.mock.calls.map((c) => String(c[0]));
    errors.mockRestore();
    // Once, one line: the reason and the fix; nothing about the tfjs-node peers, which are simply not installed.
    const notes = lines.filter((l) => l.includes('did not load'));
    expect(notes).toEqual([
      "facelab: onnxruntime-node did not load (Cannot find module 'onnxruntime-node'); facelab runs on 'wasm' instead, " +
        '3–7× slower for convolutions. Fix: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0 (the CPU build ' +
        "is in the npm package; the skip avoids its CUDA download). Silence: FACELAB_BACKEND=wasm.",
    ]);
    expect(lines.some((l) => l.includes('tfjs-node'))).toBe(false);
    expect(tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as Tf.Tensor4D, tf.ones([3, 3, 1, 1]) as Tf.Tensor4D, 1, 'same').dataSync()[5])).toBe(9);
    await expect(initBackend('onnxruntime')).rejects.toThrow(/backend 'onnxruntime' cannot load: Cannot find module 'onnxruntime-node'/);
  });
});

describe('nativeBackendNote', () => {
  it('a tfjs-node that is installed but fails names the package and the fix; one that is absent says nothing', async () => {
    const { nativeBackendNote } = await import('../src/backend/init.js');
    // This workspace installs neither tfjs-node nor tfjs-node-gpu.
    expect(nativeBackendNote('tensorflow', new Error("Cannot find package '@tensorflow/tfjs-node'"), 'onnxruntime')).toBeUndefined();
    vi.doMock('node:module', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:module')>()),
      createRequire: () => ({ resolve: (id: string) => `/node_modules/${id}` }),
    }));
    vi.resetModules();
    const installed = (await import('../src/backend/init.js')).nativeBackendNote;
    vi.doUnmock('node:module');
    const broken = new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    expect(installed('tensorflow-gpu', broken, 'wasm')).toBe(
      "facelab: @tensorflow/tfjs-node-gpu is installed but did not load (libtensorflow.so.2: cannot open shared object file: No such file or directory); " +
        "facelab runs on 'wasm' instead. Fix: npm rebuild @tensorflow/tfjs-node-gpu (its install script downloads libtensorflow), or uninstall it. " +
        'Silence: FACELAB_BACKEND=wasm.',
    );
  });

  it('an installed @facelab/onednn that was not built names the reason and the fix; other failures of onednn say nothing', async () => {
    const { nativeBackendNote } = await import('../src/backend/init.js');
    const notBuilt = new Error('@facelab/onednn is not built (oneDNN headers (dnnl.hpp) were not found: apt-get install libdnnl-dev); build it with: apt-get install g++ libdnnl-dev && npm rebuild @facelab/onednn');
    expect(nativeBackendNote('onednn', notBuilt, 'onnxruntime')).toBe(
      `facelab: ${notBuilt.message}; facelab runs on 'onnxruntime' instead, ~2× slower convolution training. Silence: FACELAB_BACKEND=onnxruntime.`,
    );
    // Without onnxruntime-node, onednn fails for onnxruntime's reason, which has its own note.
    expect(nativeBackendNote('onednn', new Error("Cannot find module 'onnxruntime-node'"), 'wasm')).toBeUndefined();
  });
});
