/**
 * The linear baseline where everything is exact: E/D = PCA of the training frames (z = Uᵀ(x − μ),
 * x̂ = U z + μ, U the top-d principal directions), A, b = least squares on the latents of consecutive-frame
 * pairs. Fitted in float64; applied in float32.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { tf } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import { leastSquaresAffine } from '../linalg/affine.js';
import { allFrames, framePairs, type FrameSequences } from '../data/sequences.js';
import { createLatentLinear } from './latent-linear.js';
import type { AugmentModel, ImageShape } from './types.js';

/** Options of {@link fitPcaAugment}. */
export interface PcaAugmentOptions {
  /** Number of principal components d. */
  latentDim: number;
  /** Subtract the mean frame (default true). */
  center?: boolean;
  /** Fit an offset b in the latent model (default true; needed for exactness when the mean is not shift-invariant). */
  bias?: boolean;
}

/** The PCA {@link AugmentModel}, with its float64 basis. */
export interface PcaAugment extends AugmentModel {
  readonly kind: 'pca';
  /** Mean frame μ (P = H·W·C values; zeros when not centring). */
  readonly mean: Float64Array;
  /** U, P × d row-major, orthonormal columns. */
  readonly basis: Float64Array;
  /** Variance along each of the d directions, decreasing. */
  readonly variances: Float64Array;
  /** Every eigenvalue of the frame covariance (of the smaller Gram problem), decreasing. */
  readonly spectrum: Float64Array;
}

/** Top-d principal directions of the rows of `x` (N × P, centred), by the smaller of the two Gram matrices. */
function principalDirections(x: Float64Array[], p: number, d: number): { basis: Float64Array; variances: Float64Array; spectrum: Float64Array } {
  const n = x.length;
  const small = Math.min(n, p);
  const gram = new Matrix(small, small);
  if (n <= p) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        const a = x[i]!;
        const b = x[j]!;
        for (let k = 0; k < p; k++) s += a[k]! * b[k]!;
        gram.set(i, j, s);
        gram.set(j, i, s);
      }
    }
  } else {
    for (const row of x) for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) gram.set(i, j, gram.get(i, j) + row[i]! * row[j]!);
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) gram.set(j, i, gram.get(i, j));
  }
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const spectrum = Float64Array.from(order, ([v]) => Math.max(v, 0) / n);
  const top = order[0]![0];
  const basis = new Float64Array(p * d);
  const variances = new Float64Array(d);
  const vectors = eig.eigenvectorMatrix;
  for (let c = 0; c < d; c++) {
    const [lambda, col] = order[c]!;
    if (!(lambda > 1e-12 * top)) throw new Error(`PCA: latentDim ${d} exceeds the rank ${c} of the training frames`);
    variances[c] = lambda / n;
    if (n <= p) {
      // Direction u = Xᵀ v / √λ for the Gram eigenvector v.
      const scale = 1 / Math.sqrt(lambda);
      for (let i = 0; i < n; i++) {
        const v = vectors.get(i, col) * scale;
        const row = x[i]!;
        for (let k = 0; k < p; k++) basis[k * d + c] += v * row[k]!;
      }
    } else {
      for (let k = 0; k < p; k++) basis[k * d + c] = vectors.get(k, col);
    }
  }
  return { basis, variances, spectrum };
}

/** z = Uᵀ(x − μ) of one frame, in float64. */
function project(frame: Float32Array, mean: Float64Array, basis: Float64Array, d: number): Float64Array {
  const z = new Float64Array(d);
  for (let k = 0; k < frame.length; k++) {
    const v = frame[k]! - mean[k]!;
    for (let c = 0; c < d; c++) z[c] += v * basis[k * d + c]!;
  }
  return z;
}

/** Fits PCA on every frame of `set` and the latent model on its consecutive pairs. */
export function fitPcaAugment(set: FrameSequences, options: PcaAugmentOptions): PcaAugment {
  const d = options.latentDim;
  checkPositiveInt(d, 'latentDim');
  const [h, w, c] = set.imageShape;
  const p = h * w * c;
  const frames = allFrames(set);
  if (d > Math.min(frames.length, p)) throw new Error(`PCA: latentDim ${d} exceeds min(frames ${frames.length}, pixels ${p})`);
  const mean = new Float64Array(p);
  if (options.center ?? true) {
    for (const f of frames) for (let k = 0; k < p; k++) mean[k] += f[k]!;
    for (let k = 0; k < p; k++) mean[k] /= frames.length;
  }
  const centred = frames.map((f) => Float64Array.from(f, (v, k) => v - mean[k]!));
  const { basis, variances, spectrum } = principalDirections(centred, p, d);
  const pairs = framePairs(set);
  const z0 = new Float64Array(pairs.length * d);
  const z1 = new Float64Array(pairs.length * d);
  pairs.forEach(({ sequence, t }, i) => {
    z0.set(project(set.frames[sequence]![t]!, mean, basis, d), i * d);
    z1.set(project(set.frames[sequence]![t + 1]!, mean, basis, d), i * d);
  });
  const bias = options.bias ?? true;
  const { a, b } = leastSquaresAffine(z0, z1, d, bias);
  return pcaAugment([h, w, c], mean, basis, variances, spectrum, createLatentLinear({ latentDim: d, bias, matrix: a, offset: b }));
}

/** Wraps a fitted basis and latent model as an {@link AugmentModel} (also used when loading one). */
export function pcaAugment(
  imageShape: ImageShape,
  mean: Float64Array,
  basis: Float64Array,
  variances: Float64Array,
  spectrum: Float64Array,
  dynamics: ReturnType<typeof createLatentLinear>,
): PcaAugment {
  const [h, w, c] = imageShape;
  const p = h * w * c;
  const d = basis.length / p;
  const meanT = tf.tensor1d(Float32Array.from(mean));
  const basisT = tf.tensor2d(Float32Array.from(basis), [p, d]);
  return {
    kind: 'pca',
    imageShape: [h, w, c],
    latentDim: d,
    dynamics,
    mean,
    basis,
    variances,
    spectrum,
    encode: (images) => tf.tidy(() => images.reshape([images.shape[0], p]).sub(meanT).matMul(basisT) as tf.Tensor2D),
    decode: (latents) => tf.tidy(() => latents.matMul(basisT, false, true).add(meanT).reshape([latents.shape[0], h, w, c]) as tf.Tensor4D),
    dispose() {
      tf.dispose([meanT, basisT]);
      dynamics.dispose();
    },
  };
}
