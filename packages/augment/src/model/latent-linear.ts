/**
 * The linear latent model of the paper: latents of frame t + 1 ≈ A·(latents of frame t) + b. Our reading
 * adds the offset b (an affine map; `bias: false` restores the purely linear A) so that mean-centred PCA
 * latents of a translating pattern are modelled exactly. Latents are rows: Z₁ = Z₀ Aᵀ + b.
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
  /** Whether gradient training updates A and b (default true; false when A is refitted in closed form). */
  trainable?: boolean;
  /** Variable-name prefix (default 'latent_linear'). */
  name?: string;
}

/** The latent model: A and b as tf variables, with exact k-step and backward (A⁻¹) maps. */
export interface LatentLinear {
  readonly latentDim: number;
  readonly bias: boolean;
  /** A, [d, d]: row i holds the coefficients of output latent i. */
  readonly matrix: tf.Variable;
  /** b, [d] (all zeros and never updated when `bias` is false). */
  readonly offset: tf.Variable;
  /** One step Z Aᵀ + b, differentiable in Z, A and b. */
  apply(z: tf.Tensor2D): tf.Tensor2D;
  /** k steps (negative: backward through A⁻¹), computed as a float64 matrix power, then applied in float32. */
  steps(z: tf.Tensor2D, k: number): tf.Tensor2D;
  /** The homogeneous [[A, b], [0, 1]] in float64. */
  homogeneous(): SquareMatrix;
  /** Sets A and b (e.g. from a least-squares fit). */
  assign(matrix: ArrayLike<number>, offset: ArrayLike<number>): void;
  /** The variables to train or checkpoint. */
  variables(): tf.Variable[];
  dispose(): void;
}

let counter = 0;

/** Creates the latent model, A = I and b = 0 unless given. */
export function createLatentLinear(options: LatentLinearOptions): LatentLinear {
  const d = options.latentDim;
  checkPositiveInt(d, 'latentDim');
  const bias = options.bias ?? true;
  const a0 = options.matrix ?? Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
  const b0 = options.offset ?? new Float32Array(d);
  if (a0.length !== d * d) throw new Error(`latent model: matrix has ${a0.length} values, expected ${d}×${d} = ${d * d}`);
  if (b0.length !== d) throw new Error(`latent model: offset has ${b0.length} values, expected ${d}`);
  const trainable = options.trainable ?? true;
  const prefix = `${options.name ?? 'latent_linear'}_${counter++}`;
  const matrix = tf.variable(tf.tensor2d(Float32Array.from(a0), [d, d]), trainable, `${prefix}_A`);
  const offset = tf.variable(tf.tensor1d(bias ? Float32Array.from(b0) : new Float32Array(d)), trainable && bias, `${prefix}_b`);
  const model: LatentLinear = {
    latentDim: d,
    bias,
    matrix,
    offset,
    apply: (z) => tf.tidy(() => (bias ? z.matMul(matrix, false, true).add(offset) : z.matMul(matrix, false, true)) as tf.Tensor2D),
    steps(z, k) {
      if (k === 0) return z.clone();
      const { a, b } = splitHomogeneous(matrixPower(model.homogeneous(), k, 'latent model'));
      return tf.tidy(() => z.matMul(tf.tensor2d(Float32Array.from(a), [d, d]), false, true).add(tf.tensor1d(Float32Array.from(b))) as tf.Tensor2D);
    },
    homogeneous: () => homogeneous(matrix.dataSync(), offset.dataSync(), d),
    assign(a, b) {
      if (a.length !== d * d || b.length !== d) throw new Error(`latent model: assign needs ${d * d} + ${d} values, got ${a.length} + ${b.length}`);
      tf.tidy(() => {
        matrix.assign(tf.tensor2d(Float32Array.from(a), [d, d]));
        offset.assign(tf.tensor1d(bias ? Float32Array.from(b) : new Float32Array(d)));
      });
    },
    variables: () => [matrix, offset],
    dispose: () => tf.dispose([matrix, offset]),
  };
  return model;
}
