/** Running tests on facelab's backends: one suite on each, or one computation on a named backend. */
import { afterAll, beforeAll, describe } from 'vitest';
import { BACKEND_ORDER, initBackend, tf, type BackendName } from '@facelab/core-tensor';

/**
 * Runs `suite` once per backend, each in a `describe('on <backend>')` block that switches to the backend with
 * initBackend before its tests and restores the previous backend after them.
 */
export function describeBackends(backends: readonly BackendName[], suite: (backend: BackendName) => void): void {
  for (const backend of backends) {
    describe(`on ${backend}`, () => {
      let previous: string | undefined;
      beforeAll(async () => {
        previous = tf.engine().backendName ?? undefined;
        await initBackend(backend);
      });
      afterAll(async () => {
        if (previous && (BACKEND_ORDER as readonly string[]).includes(previous)) await initBackend(previous as BackendName);
      });
      suite(backend);
    });
  }
}

/** Runs `f` with tfjs backend `backend` active (initialised before) and returns its outputs' values (tensors disposed). */
export async function valuesOn(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const res = list.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(list);
  return res;
}

/** Runs a kernel directly on the active backend. */
export function kernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

export {
  combineModels,
  describeGpuBackends,
  expectMatchesReference,
  expectModelMatchesReference,
  gpuBackendSkipReason,
  GPU_BACKENDS,
  GPU_RTOL,
  REFERENCE_BACKEND,
  type CheckedModel,
  type GpuBackendName,
  type ModelCheckOptions,
  type ReferenceOptions,
} from './gpu.js';
