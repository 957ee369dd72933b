/**
 * The linear latent model of the paper: latents of frame t + 1 ≈ A·(latents of frame t) + b. Our reading
 * adds the offset b (an affine map; `bias: false` restores the purely linear A) so that mean-centred PCA
 * latents of a translating pattern are modelled exactly. Latents are rows: Z₁ = Z₀ Aᵀ + b, held as a
 * one-layer model (a dense layer with kernel Aᵀ) so that checkpoints find its weights by name.
 */
import { tf } from '@facelab/core-tensor';
import { checkPositiveInt } from '@facelab/runtime';
import { homogeneous, matrixPower, splitHomogeneous, type SquareMatrix } from '../linalg/affine.js';

/** Options of {@link createLatentLinear}. */
export interface LatentLinearOptions {
  /** Latent dimension d. */
  latentDim: number;
  /** Learn an offset b (default true). */
  bias?: boolean;
  /** Initial A (d × d row-major; default the identity) and b (default 0). */
  matrix?: ArrayLike<number>;
  offset?: ArrayLike<number>;
}

/** The latent model: A and b as the weights of `model`, with exact k-step and backward (A⁻¹) maps. */
export interface LatentLinear {
  readonly latentDim: number;
  readonly bias: boolean;
  /** The dense layer z ↦ z Aᵀ + b as a model named 'latent_linear' (train it, checkpoint it, freeze it). */
  readonly model: tf.LayersModel;
  /** One step Z Aᵀ + b, differentiable in Z, A and b. */
  apply(z: tf.Tensor2D): tf.Tensor2D;
  /** k steps (negative: backward through A⁻¹), computed as a float64 matrix power, then applied in float32. */
  steps(z: tf.Tensor2D, k: number): tf.Tensor2D;
  /** A, d × d row-major (row i: the coefficients of output latent i). */
  matrix(): Float64Array;
  /** b (zeros without `bias`). */
  offset(): Float64Array;
  /** The homogeneous [[A, b], [0, 1]] in float64. */
  homogeneous(): SquareMatrix;
  /** Sets A and b (e.g. from a least-squares fit). */
  assign(matrix: ArrayLike<number>, offset: ArrayLike<number>): void;
  dispose(): void;
}

/** Creates the latent model, A = I and b = 0 unless given. */
export function createLatentLinear(options: LatentLinearOptions): LatentLinear {
  const d = options.latentDim;
  checkPositiveInt(d, 'latentDim');
  const bias = options.bias ?? true;
  const input = tf.input({ shape: [d], name: 'latent_in' });
  const layer = tf.layers.dense({ units: d, useBias: bias, kernelInitializer: 'identity', biasInitializer: 'zeros', name: 'latent_linear' });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor, name: 'latent_linear' });
  const read = (): { a: Float64Array; b: Float64Array } => {
    const [kernel, b] = layer.getWeights();
    const k = kernel!.dataSync();
    return { a: Float64Array.from({ length: d * d }, (_, i) => k[(i % d) * d + Math.floor(i / d)]!), b: b ? Float64Array.from(b.dataSync()) : new Float64Array(d) };
  };
  const lin: LatentLinear = {
    latentDim: d,
    bias,
    model,
    apply: (z) => model.apply(z) as tf.Tensor2D,
    steps(z, k) {
      if (k === 0) return z.clone();
      const { a, b } = splitHomogeneous(matrixPower(lin.homogeneous(), k, 'latent model'));
      return tf.tidy(() => z.matMul(tf.tensor2d(Float32Array.from(a), [d, d]), false, true).add(tf.tensor1d(Float32Array.from(b))) as tf.Tensor2D);
    },
    matrix: () => read().a,
    offset: () => read().b,
    homogeneous: () => {
      const { a, b } = read();
      return homogeneous(a, b, d);
    },
    assign(a, b) {
      if (a.length !== d * d) throw new Error(`latent model: matrix has ${a.length} values, expected ${d}×${d} = ${d * d}`);
      if (b.length !== d) throw new Error(`latent model: offset has ${b.length} values, expected ${d}`);
      const kernel = tf.tensor2d(Float32Array.from({ length: d * d }, (_, i) => a[(i % d) * d + Math.floor(i / d)]!), [d, d]);
      const weights = bias ? [kernel, tf.tensor1d(Float32Array.from(b))] : [kernel];
      layer.setWeights(weights);
      tf.dispose(weights);
    },
    dispose: () => model.dispose(),
  };
  if (options.matrix !== undefined || options.offset !== undefined) {
    lin.assign(options.matrix ?? lin.matrix(), options.offset ?? new Float64Array(d));
  }
  return lin;
}
