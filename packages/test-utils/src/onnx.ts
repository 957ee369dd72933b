/**
 * ONNX round trips: a tfjs model's outputs against onnxruntime-node's on the model exported by core-tensor's
 * `exportOnnx`, and seeded weights that make such a comparison mean something (batch-norm statistics away
 * from 0 and 1, non-zero biases).
 */
import { expect } from 'vitest';
import { createInferenceSession, tf, type ExportOnnxOptions } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { relErr } from './close.js';
import { randn } from './random.js';

/**
 * Replaces every weight of `model` with seeded values: kernels N(0, 1/fan-in), biases and BN β and moving means
 * N(0, 0.1²)·…, BN γ around 1, moving variances in [0.5, 1.5], PReLU slopes in [0, 0.5].
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  for (const w of model.weights) {
    const shape = [...w.shape] as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const name = w.originalName;
    const values = new Float32Array(n);
    const uniform = (lo: number, hi: number) => values.map(() => lo + (hi - lo) * rng.uniform());
    let v: Float32Array;
    if (name.endsWith('moving_variance')) v = uniform(0.5, 1.5);
    else if (name.endsWith('gamma')) v = randn(rng, shape).map((x) => 1 + 0.2 * x);
    else if (name.endsWith('alpha')) v = uniform(0, 0.5);
    else if (shape.length === 1) v = randn(rng, shape).map((x) => 0.2 * x);
    else {
      const fanIn = n / shape[shape.length - 1]!;
      v = randn(rng, shape).map((x) => x / Math.sqrt(fanIn));
    }
    const t = tf.tensor(v, shape);
    w.write(t);
    t.dispose();
  }
}

/** Options of {@link expectOnnxRoundTrip}. */
export interface OnnxRoundTripOptions extends ExportOnnxOptions {
  /** Largest accepted error per output, max |onnx − tfjs| / max |tfjs| (default 1e-4). */
  rtol?: number;
}

/**
 * Exports `model`, runs it in onnxruntime-node on `inputs` and asserts each output within `rtol` of
 * `model.predict` on the current backend; also that neither the export nor the session leaks tensors.
 * Returns the errors per output.
 */
export function expectOnnxRoundTrip(model: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[], options: OnnxRoundTripOptions = {}): number[] {
  const { rtol = 1e-4, ...exportOptions } = options;
  const expected = model.predict(inputs) as tf.Tensor | tf.Tensor[];
  const expectedList = Array.isArray(expected) ? expected : [expected];
  const before = tf.memory().numTensors;
  const session = createInferenceSession(model, exportOptions);
  const actual = session.predict(inputs);
  session.dispose();
  const actualList = Array.isArray(actual) ? actual : [actual];
  expect(tf.memory().numTensors - before).toBe(actualList.length);
  const errors = expectedList.map((e, i) => {
    const a = actualList[i]!;
    expect(a.shape, `output ${i} shape`).toEqual(e.shape);
    return relErr(a.dataSync(), e.dataSync());
  });
  tf.dispose([...expectedList, ...actualList]);
  errors.forEach((err, i) => expect(err, `output ${i}: max |onnx − tfjs| / max |tfjs|`).toBeLessThanOrEqual(rtol));
  return errors;
}
