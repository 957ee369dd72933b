import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withWasmThreads } from '../src/backend/compat/wasm-threads.js';
import { initBackend, tf } from '../src/index.js';
import { env, Rng } from '@facelab/runtime';
import { randn, relErr } from '@facelab/test-utils';

// Each test file runs in its own process (pool: forks), so this file's wasm backend is the threaded one.
env.wasmThreads = 2;

const shapes = { x: [2, 17, 13, 16], w: [3, 3, 16, 24], a: [96, 80], b: [80, 72] };

/** The same ops on stock, single-threaded tfjs-backend-wasm in a child process (the reference). */
const reference = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
const { x, w, a, b, shapes } = JSON.parse(readFileSync(0, 'utf8'));
await tf.setBackend('wasm');
const conv = tf.conv2d(tf.tensor(x, shapes.x), tf.tensor(w, shapes.w), [2, 1], 'same');
const mm = tf.matMul(tf.tensor(a, shapes.a), tf.tensor(b, shapes.b));
process.stdout.write(JSON.stringify({ threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  conv: Array.from(conv.dataSync()), mm: Array.from(mm.dataSync()) }));
`;

describe('multi-threaded wasm (FACELAB_WASM_THREADS=2)', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('runs XNNPACK on 2 threads', () => {
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    expect(wasmBackend.getThreadsCount()).toBe(2);
  });

  it('computes what single-threaded wasm computes', () => {
    const rng = new Rng(21);
    const x = randn(rng, shapes.x);
    const w = randn(rng, shapes.w);
    const a = randn(rng, shapes.a);
    const b = randn(rng, shapes.b);
    const input = JSON.stringify({ x: Array.from(x), w: Array.from(w), a: Array.from(a), b: Array.from(b), shapes });
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', reference], { cwd: pkg, input, encoding: 'utf8' });
    const ref = JSON.parse(out) as { threads: boolean; conv: number[]; mm: number[] };
    expect(ref.threads).toBe(false);
    const [conv, mm] = tf.tidy(() => [
      tf.conv2d(tf.tensor4d(x, shapes.x as [number, number, number, number]), tf.tensor4d(w, shapes.w as [number, number, number, number]), [2, 1], 'same').dataSync(),
      tf.matMul(tf.tensor2d(a, shapes.a as [number, number]), tf.tensor2d(b, shapes.b as [number, number])).dataSync(),
    ]);
    expect(relErr(conv!, ref.conv)).toBeLessThan(1e-5);
    expect(relErr(mm!, ref.mm)).toBeLessThan(1e-5);
  });

  it('trains a conv layer on threads like on cpu (gradients through the substitute kernels)', async () => {
    const rng = new Rng(22);
    const x = randn(rng, [2, 12, 9, 8]);
    const w = randn(rng, [3, 3, 8, 6]);
    const f = (): Float32Array[] =>
      tf.tidy(() =>
        tf
          .grads((xi: tf.Tensor, wi: tf.Tensor) => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same').square().sum())([
            tf.tensor(x, [2, 12, 9, 8]),
            tf.tensor(w, [3, 3, 8, 6]),
          ])
          .map((g) => g.dataSync() as Float32Array),
      );
    const threaded = f();
    await tf.setBackend('cpu');
    const cpu = f();
    await tf.setBackend('wasm');
    threaded.forEach((g, i) => expect(relErr(g, cpu[i]!)).toBeLessThan(1e-4));
  });

  it('refuses a tfjs-backend-wasm other than the pinned version, before touching anything', async () => {
    let ran = false;
    const other = { version_wasm: '4.21.0', setThreadsCount: () => undefined };
    await expect(withWasmThreads(other, 2, async () => (ran = true))).rejects.toThrow(/need tfjs-backend-wasm 4\.22\.0, found 4\.21\.0/);
    expect(ran).toBe(false);
  });
});
