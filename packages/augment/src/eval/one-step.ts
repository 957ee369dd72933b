/**
 * One-step prediction error of the latent model over every consecutive pair of a set, in latents and in
 * pixels, against the identity model (A = I, b = 0: "nothing changes") and copying the frame.
 */
import { tf } from '@facelab/core-tensor';
import { pairBatch } from '../data/batch.js';
import { framePairs, type FrameSequences } from '../data/sequences.js';
import { checkImages, type AugmentModel } from '../model/types.js';

/** Errors of {@link evaluateOneStep}. */
export interface OneStepErrors {
  /** Σ‖z_{t+1} − ẑ‖² / Σ‖z_{t+1} − z̄_{t+1}‖² with ẑ = A z_t + b (model) or z_t (identity). */
  latent: { model: number; identity: number };
  /** Mean squared pixel error of D(A z_t + b) (model), D(z_t) (identity) and x_t (copy) against x_{t+1}. */
  pixel: { model: number; identity: number; copy: number };
  pairs: number;
}

/** Evaluates `model` on every consecutive pair of `set`, `chunk` pairs at a time. */
export function evaluateOneStep(model: AugmentModel, set: FrameSequences, chunk = 64): OneStepErrors {
  const pairs = framePairs(set);
  const probe = tf.zeros([1, ...set.imageShape]);
  try {
    checkImages(model, probe, 'evaluateOneStep');
  } finally {
    probe.dispose();
  }
  const d = model.latentDim;
  const sums = { model: 0, identity: 0, pModel: 0, pIdentity: 0, pCopy: 0 };
  const z1All: Float32Array[] = [];
  for (let start = 0; start < pairs.length; start += chunk) {
    const { x0, x1 } = pairBatch(set, pairs.slice(start, start + chunk));
    const v = tf.tidy(() => {
      const z0 = model.encode(x0);
      const z1 = model.encode(x1);
      const zhat = model.dynamics.apply(z0);
      const sse = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).square().sum().dataSync()[0]!;
      z1All.push(z1.dataSync() as Float32Array);
      return [sse(z1, zhat), sse(z1, z0), sse(model.decode(zhat), x1), sse(model.decode(z0), x1), sse(x0, x1)];
    });
    tf.dispose([x0, x1]);
    sums.model += v[0]!;
    sums.identity += v[1]!;
    sums.pModel += v[2]!;
    sums.pIdentity += v[3]!;
    sums.pCopy += v[4]!;
  }
  const mean = new Float64Array(d);
  for (const z of z1All) for (let i = 0; i < z.length; i++) mean[i % d] += z[i]! / pairs.length;
  let spread = 0;
  for (const z of z1All) for (let i = 0; i < z.length; i++) spread += (z[i]! - mean[i % d]!) ** 2;
  const pixels = pairs.length * set.imageShape[0] * set.imageShape[1] * set.imageShape[2];
  return {
    latent: { model: sums.model / spread, identity: sums.identity / spread },
    pixel: { model: sums.pModel / pixels, identity: sums.pIdentity / pixels, copy: sums.pCopy / pixels },
    pairs: pairs.length,
  };
}
