/**
 * GPU integration suites (each package's test/gpu/*.gpu.test.ts, run by `npm run test:gpu`): one suite on
 * every GPU backend that loads, each check compared with the same computation on a reference backend.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { initBackend, tf, type BackendName } from '@facelab/core-tensor';
import { relErr } from './close.js';

/** The GPU backends a GPU suite runs on, in initBackend's order. */
export const GPU_BACKENDS = ['tensorflow-gpu', 'webgpu'] as const satisfies readonly BackendName[];

/** A GPU backend. */
export type GpuBackendName = (typeof GPU_BACKENDS)[number];

/**
 * The backend results are checked against: wasm with facelab's kernels (tfjs-backend-cpu 4.22's
 * ResizeNearestNeighborGrad is wrong for batch > 1, and wasm runs facelab's fused kernels, so a GPU backend
 * that composes tfjs ops is checked against a different implementation).
 */
export const REFERENCE_BACKEND: BackendName = 'wasm';

/** Default tolerance of {@link expectMatchesReference}: relative to each output's largest reference value. */
export const GPU_RTOL = 1e-3;

/** How to install each GPU backend's optional packages, for the skip line when they are missing. */
const INSTALL: Record<GpuBackendName, string> = {
  'tensorflow-gpu': 'npm install @tensorflow/tfjs-node-gpu@4.22.0 on a machine with CUDA 11.2 and cuDNN 8.1',
  webgpu: 'npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0',
};

/** Why each GPU backend did not load, or undefined for one that loads (probed once per process). */
const probed = new Map<GpuBackendName, string | undefined>();

/** Loads `backend` by name (a software WebGPU adapter included) and returns undefined, or why it cannot load. */
export async function gpuBackendSkipReason(backend: GpuBackendName): Promise<string | undefined> {
  if (!probed.has(backend)) {
    const previous = tf.getBackend();
    try {
      await initBackend(backend);
      probed.set(backend, undefined);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      // A missing optional package reads as a module-resolution error: say what to install instead.
      probed.set(backend, /Could not resolve|Cannot find (module|package)/.test(why) ? `not installed (${INSTALL[backend]})` : why);
    }
    if (previous) await tf.setBackend(previous);
  }
  return probed.get(backend);
}

/** Per backend: checks run and the largest relative error seen, printed after the suite. */
const summaries = new Map<GpuBackendName, { checks: number; maxErr: number; worst: string }>();

/**
 * Runs `suite` in a `describe('on <backend>')` block on each GPU backend that loads (the block's tests run
 * with that backend active, and the summary line after it gives the number of checks and the largest
 * relative error); for each backend that does not load, prints one line naming why and registers one
 * skipped test saying the same. Call with `await` at the top of a test file (the backends are probed first).
 */
export async function describeGpuBackends(suite: (backend: GpuBackendName) => void): Promise<void> {
  for (const backend of GPU_BACKENDS) {
    const why = await gpuBackendSkipReason(backend);
    if (why !== undefined) {
      console.log(`test:gpu: skipped on ${backend}: ${why}`);
      it.skip(`on ${backend}: skipped (${why})`, () => undefined);
      continue;
    }
    describe(`on ${backend}`, () => {
      beforeAll(async () => {
        await initBackend(backend);
      });
      afterAll(() => {
        const s = summaries.get(backend);
        if (s) console.log(`test:gpu: ${backend}: ${s.checks} checks against ${REFERENCE_BACKEND}, max relative error ${s.maxErr.toExponential(2)} (${s.worst})`);
      });
      suite(backend);
    });
  }
}

/** Options of {@link expectMatchesReference}. */
export interface ReferenceOptions {
  /** What is checked, for the failure message and the summary. */
  label: string;
  /** Tolerance relative to each output's largest reference value. Default {@link GPU_RTOL}. */
  rtol?: number;
  /**
   * Smallest scale an output is compared at: |gpu − ref| ≤ rtol · max(max |ref|, floor). For outputs that
   * are zero in exact arithmetic and rounding noise in practice (the gradient of a bias that a batch norm
   * cancels). Default 0.
   */
  floor?: number;
}

/** Runs `f`, reads every output and disposes it and every other tensor `f` made. */
async function valuesOf(f: () => tf.Tensor | tf.Tensor[] | Promise<tf.Tensor | tf.Tensor[]>): Promise<{ shape: number[]; values: Float32Array }[]> {
  tf.engine().startScope();
  try {
    const out = await f();
    const list = Array.isArray(out) ? out : [out];
    return await Promise.all(list.map(async (t) => ({ shape: t.shape, values: Float32Array.from(await t.data()) })));
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Runs `f` on {@link REFERENCE_BACKEND} and on `backend` and asserts that each output agrees:
 * max |gpu − ref| ≤ rtol · max |ref| per output. `f` must compute the same thing each time it is called (a
 * training step restores its model's weights first); tensors it creates are disposed. Returns the largest
 * relative error; the backend's summary records it.
 */
export async function expectMatchesReference(
  backend: GpuBackendName,
  f: () => tf.Tensor | tf.Tensor[] | Promise<tf.Tensor | tf.Tensor[]>,
  { label, rtol = GPU_RTOL, floor = 0 }: ReferenceOptions,
): Promise<number> {
  await initBackend(REFERENCE_BACKEND);
  const expected = await valuesOf(f);
  await initBackend(backend);
  const actual = await valuesOf(f);
  let worst = 0;
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (a.shape.join() !== e.shape.join()) throw new Error(`${label}: output ${i} has shape [${a.shape}] on ${backend}, [${e.shape}] on ${REFERENCE_BACKEND}`);
    const scale = e.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const err = (relErr(a.values, e.values) * scale) / Math.max(scale, floor, 1e-30);
    if (!(err <= rtol)) throw new Error(`${label}: output ${i} [${e.shape}] differs from ${REFERENCE_BACKEND} by ${err.toExponential(2)} relative (> ${rtol}) on ${backend}`);
    worst = Math.max(worst, err);
  });
  const s = summaries.get(backend) ?? { checks: 0, maxErr: 0, worst: '' };
  s.checks++;
  if (worst >= s.maxErr) Object.assign(s, { maxErr: worst, worst: label });
  summaries.set(backend, s);
  return worst;
}

/** A model as {@link expectModelMatchesReference} needs it (a tf.LayersModel, or a wrapper of one). */
export interface CheckedModel {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
  readonly trainableWeights: { read(): tf.Tensor }[];
}

/**
 * Several models as one {@link CheckedModel} (a GAN's generator and discriminator, an encoder and a decoder):
 * their weights in order, so a check restores and compares all of them.
 */
export function combineModels(...models: CheckedModel[]): CheckedModel {
  return {
    getWeights: () => models.flatMap((m) => m.getWeights()),
    setWeights: (weights) => {
      let at = 0;
      for (const m of models) {
        const n = m.getWeights().length;
        m.setWeights(weights.slice(at, at + n));
        at += n;
      }
    },
    get trainableWeights() {
      return models.flatMap((m) => m.trainableWeights);
    },
  };
}

/** Options of {@link expectModelMatchesReference}. */
export interface ModelCheckOptions {
  /** The model's name, for messages and the summary. */
  label: string;
  /** The forward pass in inference mode (fresh inputs each call). */
  forward: () => tf.Tensor | tf.Tensor[];
  /** The training objective in training mode (fresh inputs each call). */
  loss: () => tf.Scalar;
  /** SGD learning rate of the training steps. Default 0.01. */
  learningRate?: number;
  /** Tolerance, as in {@link expectMatchesReference}. */
  rtol?: number;
  /** Smallest gradient scale compared, as `floor` in {@link expectMatchesReference}. Default 1e-3. */
  gradientFloor?: number;
}

/**
 * Checks a model on `backend` against the reference backend from the same weights: the forward pass, then
 * two SGD training steps: the first step's loss and the gradient of every trainable weight, the second
 * step's loss (after the first update). Every run first sets the weights from a host copy made here, so they
 * live on the backend that runs (tfjs 4.22 cannot move a variable's data from webgpu to wasm), and the
 * copy is set again at the end.
 */
export async function expectModelMatchesReference(backend: GpuBackendName, model: CheckedModel, options: ModelCheckOptions): Promise<void> {
  const { label, forward, loss, learningRate = 0.01, rtol, gradientFloor = 1e-3 } = options;
  // Read asynchronously: a synchronous read on webgpu needs OffscreenCanvas, which Node lacks.
  const host = await Promise.all(model.getWeights().map(async (w) => ({ shape: w.shape, values: Float32Array.from(await w.data()) })));
  const restore = () => model.setWeights(host.map((w) => tf.tensor(w.values, w.shape)));
  try {
    await expectMatchesReference(backend, () => (restore(), forward()), { label: `${label} forward`, rtol });
    await expectMatchesReference(
      backend,
      () => {
        restore();
        const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const optimizer = tf.train.sgd(learningRate);
        const first = tf.variableGrads(loss, vars);
        const grads = vars.map((v) => first.grads[v.name]!);
        optimizer.applyGradients(first.grads);
        const second = loss();
        optimizer.dispose();
        return [first.value, ...grads, second];
      },
      { label: `${label} training steps`, rtol, floor: gradientFloor },
    );
  } finally {
    await initBackend(REFERENCE_BACKEND);
    tf.tidy(restore);
  }
}
