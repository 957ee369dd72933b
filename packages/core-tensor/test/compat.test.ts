/**
 * Each quirk in src/backend/compat/ touches a pinned dependency's private internals: these fail when the
 * installed version moves off the pin it was written for, so the quirk is re-checked (or removed) then.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it, vi } from 'vitest';
import { BATCH_NORMALIZATION_PIN, batchNormalizationClass, batchNormalizationFields } from '../src/backend/compat/batch-normalization.js';
import { CHAINED_OPS, CHAINED_OPS_PIN } from '../src/backend/compat/chained-ops.js';
import { CPU_BACKEND_PIN } from '../src/backend/compat/cpu-backend.js';
import { disposeOptimizer, MOMENTUM_DISPOSE_PIN } from '../src/backend/compat/momentum-dispose.js';
import { registeredClass, SERIALIZATION_REGISTRY_PIN } from '../src/backend/compat/serialization-registry.js';
import { THROWING_GRADIENTS_PIN, variableGradsReleasing } from '../src/backend/compat/throwing-gradients.js';
import { WASM_BACKEND_PIN } from '../src/backend/compat/wasm-backend.js';
import { isWasmGlueListener, WASM_PROCESS_EVENTS, WASM_PROCESS_HANDLERS_PIN } from '../src/backend/compat/wasm-process-handlers.js';
import { WASM_THREADS_VERSION } from '../src/backend/compat/wasm-threads.js';
import { ORTHOGONAL_WARNING, TFJS_WARNINGS_PIN, silenceTfjsWarnings } from '../src/backend/compat/tfjs-warnings.js';
import { tf } from '../src/tf.js';

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
  it("wasm-process-handlers.ts: the wasm glue's rethrowing process listeners (the child-process test is backend-process-handlers.test.ts)", () => {
    expect(installed(WASM_PROCESS_HANDLERS_PIN.name)).toBe(WASM_PROCESS_HANDLERS_PIN.version);
    const main = (require('@tensorflow/tfjs-backend-wasm/package.json') as { main: string }).main;
    const glue = readFileSync(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), main), 'utf8');
    // Each of the bundle's two emscripten modules (single- and multi-threaded) installs one listener per event.
    for (const event of WASM_PROCESS_EVENTS) {
      const sources = [...glue.matchAll(new RegExp(`process\\["on"\\]\\("${event}", (function \\(\\w+\\) \\{[^]*?\\} ?\\}?)\\);`, 'g'))].map((m) => m[1]!);
      expect(sources, event).toHaveLength(2);
      for (const source of sources) expect(isWasmGlueListener(new Function(`return ${source}`)() as () => void), source).toBe(true);
    }
    expect(isWasmGlueListener((err: unknown) => console.error(err))).toBe(false);
    expect(isWasmGlueListener(function (e: unknown) { if (e) throw new Error('wrapped'); })).toBe(false);
  });
  it('wasm-threads.ts: tfjs-backend-wasm bundle patch', () => {
    expect(wasmBackend.version_wasm).toBe(WASM_THREADS_VERSION);
  });
  it('serialization-registry.ts: tfjs-core class registry', () => {
    expect(installed(SERIALIZATION_REGISTRY_PIN.name)).toBe(SERIALIZATION_REGISTRY_PIN.version);
    expect(registeredClass('GlorotNormal')?.[0]).toBe(tf.initializers.glorotNormal({}).constructor);
  });
  it('batch-normalization.ts: tfjs-layers BatchNormalization class and fields', async () => {
    await tf.setBackend('cpu');
    expect(installed(BATCH_NORMALIZATION_PIN.name)).toBe(BATCH_NORMALIZATION_PIN.version);
    const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 0.01 });
    expect(layer).toBeInstanceOf(batchNormalizationClass());
    tf.tidy(() => void layer.apply(tf.zeros([1, 3])));
    const f = batchNormalizationFields(layer);
    expect([f.axis, f.momentum, f.epsilon]).toEqual([-1, 0.9, 0.01]);
    expect([f.gamma, f.beta, f.movingMean, f.movingVariance].map((v) => v?.shape)).toEqual([[3], [3], [3], [3]]);
    layer.dispose();
  });
  it("momentum-dispose.ts: MomentumOptimizer.dispose() leaves SGD's learning-rate scalar", async () => {
    await tf.setBackend('cpu');
    expect(installed(MOMENTUM_DISPOSE_PIN.name)).toBe(MOMENTUM_DISPOSE_PIN.version);
    const before = tf.memory().numTensors;
    const plain = tf.train.momentum(0.1, 0.9);
    plain.dispose();
    // The quirk: one tensor (the private `c`) outlives dispose(). When this fails, remove the quirk.
    expect(tf.memory().numTensors).toBe(before + 1);
    (plain as unknown as { c: tf.Tensor }).c.dispose();
    for (const make of [() => tf.train.momentum(0.1, 0.9), () => tf.train.sgd(0.1), () => tf.train.adam(0.1)]) {
      const opt = make();
      const v = tf.tidy(() => tf.variable(tf.ones([2])));
      opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, false, [v]);
      v.dispose();
      disposeOptimizer(opt);
      expect(tf.memory().numTensors, opt.getClassName()).toBe(before);
    }
  });
  it("throwing-gradients.ts: a gradient function that throws leaves the tape's saved tensors", async () => {
    await tf.setBackend('cpu');
    expect(installed(THROWING_GRADIENTS_PIN.name)).toBe(THROWING_GRADIENTS_PIN.version);
    const v = tf.tidy(() => tf.variable(tf.ones([3])));
    const throwing = () => {
      tf.sum(tf.square(tf.exp(v)));
      throw new Error('loss failed');
    };
    const before = tf.memory().numTensors;
    // The quirk: the tape's copies for the backward pass outlive the error. When this fails, remove the quirk.
    expect(() => tf.variableGrads(throwing, [v])).toThrow('loss failed');
    const leaked = tf.memory().numTensors - before;
    expect(leaked).toBeGreaterThan(0);
    const after = tf.memory().numTensors;
    expect(() => variableGradsReleasing(throwing, [v])).toThrow('loss failed');
    expect(tf.memory().numTensors).toBe(after);
    // A gradient call that succeeds is untouched by the wrapper.
    const { value, grads } = variableGradsReleasing(() => tf.sum(tf.square(v)) as tf.Scalar, [v]);
    expect([value.dataSync()[0], Array.from(grads[v.name]!.dataSync())]).toEqual([3, [2, 2, 2]]);
    tf.dispose([value, ...Object.values(grads), v]);
  });
  it("chained-ops.ts: tfjs-core's chained-op modules", () => {
    expect(installed(CHAINED_OPS_PIN.name)).toBe(CHAINED_OPS_PIN.version);
    const dir = join(dirname(require.resolve(`${CHAINED_OPS_PIN.name}/package.json`)), 'dist/public/chained_ops');
    const defined = readdirSync(dir)
      .filter((f) => f.endsWith('.js') && !f.endsWith('_test.js') && f !== 'register_all_chained_ops.js')
      .map((f) => /prototype\.\s*(\w+)\s*=/.exec(readFileSync(join(dir, f), 'utf8'))?.[1]);
    expect([...CHAINED_OPS].sort()).toEqual(defined.sort());
    const x = tf.tensor2d([1, -2, 3, -4], [2, 2]);
    expect(x.abs().reshape([4]).toFloat().arraySync()).toEqual([1, 2, 3, 4]);
    expect(x.concat(x, 0).shape).toEqual([4, 2]);
    x.dispose();
    expect(() => x.abs()).toThrow(/disposed/);
  });
});

describe('tfjs-warnings.ts (last: it changes the process)', () => {
  it("silences tfjs-core's warn (the cpu banner's route) and tfjs-layers' Orthogonal warning, and nothing else", async () => {
    await tf.setBackend('cpu');
    expect(installed(TFJS_WARNINGS_PIN.name)).toBe(TFJS_WARNINGS_PIN.version);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const orthogonal = () => tf.tidy(() => void tf.initializers.orthogonal({ seed: 1 }).apply([46, 46]));
    try {
      tf.backend_util.warn('banner');
      orthogonal();
      expect(warn.mock.calls.map((c) => String(c[0]).slice(0, ORTHOGONAL_WARNING.length))).toEqual(['banner', ORTHOGONAL_WARNING]);
      warn.mockClear();
      silenceTfjsWarnings();
      tf.backend_util.warn('banner');
      orthogonal();
      console.warn('other warnings still print');
      expect(warn.mock.calls).toEqual([['other warnings still print']]);
    } finally {
      warn.mockRestore();
    }
  });
});
