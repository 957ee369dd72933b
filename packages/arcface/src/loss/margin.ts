/**
 * Additive/multiplicative angular margins (SphereFace m1, ArcFace m2, CosFace m3) on cosine logits, as in
 * ArcFace (Deng et al., arXiv 1801.07698) and insightface's combined margin. The target logit gets an exact
 * true derivative (not straight-through), computed on clamped cosines so it stays finite at c = ±1.
 */
import { tf } from '@facelab/core-tensor';

/** Margin parameters: target logit s·(cos(m1·θ + m2) − m3); non-target logits s·cos θ. */
export interface MarginOptions {
  /** Feature scale s (default 64). */
  s?: number;
  /** Multiplicative angular margin m1 (SphereFace; default 1). */
  m1?: number;
  /** Additive angular margin m2 (ArcFace; default 0.5). */
  m2?: number;
  /** Additive cosine margin m3 (CosFace; default 0). */
  m3?: number;
  /** ArcFace only: apply the margin where cos θ > 0, else keep cos θ (default false: insightface fallback). */
  easyMargin?: boolean;
}

/** Margins of the published losses and the paper's combined margin, for {@link marginLogits} options. */
export const MARGIN_PRESETS = {
  /** Normalised softmax: no margin. */
  softmax: { m1: 1, m2: 0, m3: 0 },
  /** ArcFace, additive angular margin 0.5. */
  arcface: { m1: 1, m2: 0.5, m3: 0 },
  /** CosFace, additive cosine margin 0.35. */
  cosface: { m1: 1, m2: 0, m3: 0.35 },
  /** The ArcFace paper's combined margin CM1 (m1, m2, m3) = (1, 0.3, 0.2): s·(cos(θ + 0.3) − 0.2). */
  combined: { m1: 1, m2: 0.3, m3: 0.2 },
} as const;

/** Labels as a JS array, typed array or 1-D integer tensor. */
export type LabelsLike = ArrayLike<number> | tf.Tensor1D;

/**
 * Cosines are clamped to [−1 + δ, 1 − δ] before acos / sin θ: sin θ ≥ ~5e-4 keeps value and derivative
 * finite (|f′| ≤ ~2000) where the exact derivative diverges. δ is float32's spacing just below 1.
 */
const CLAMP_DELTA = 1.2e-7;

interface ResolvedMargin {
  s: number;
  m1: number;
  m2: number;
  m3: number;
  easyMargin: boolean;
}

function resolve(options: MarginOptions): ResolvedMargin {
  const r = { s: 64, m1: 1, m2: 0.5, m3: 0, easyMargin: false, ...options };
  for (const key of ['s', 'm1', 'm2', 'm3'] as const) {
    if (!Number.isFinite(r[key])) throw new Error(`marginLogits: option ${key} must be a finite number, got ${r[key]}`);
  }
  if (r.s <= 0) throw new Error(`marginLogits: option s must be > 0, got ${r.s}`);
  return r;
}

/**
 * The margin function f(c) of the target cosines (1-D), differentiable by autodiff on clamped cosines:
 * - ArcFace (m1 = 1, m3 = 0): cos(θ + m2) = c·cos m2 − sin θ·sin m2 where c > cos(π − m2), else the
 *   insightface fallback c − m2·sin m2 (keeps f monotonic past θ = π − m2); with easyMargin the threshold is
 *   c > 0 and the fallback is c itself.
 * - CosFace (m1 = 1, m2 = 0): c − m3.
 * - otherwise: cos(m1·θ + m2) − m3, θ = acos c.
 */
function targetMargin(c: tf.Tensor1D, m: ResolvedMargin): tf.Tensor1D {
  const { m1, m2, m3 } = m;
  if (m1 === 1 && m2 === 0) return tf.sub(c, m3);
  const cc = tf.clipByValue(c, -1 + CLAMP_DELTA, 1 - CLAMP_DELTA);
  if (m1 === 1 && m3 === 0) {
    const sinM = Math.sin(m2);
    const sinT = tf.sqrt(tf.sub(1, tf.square(cc)));
    const phi = tf.sub(tf.mul(cc, Math.cos(m2)), tf.mul(sinT, sinM));
    // A 0/1 mask from tf.step (zero gradient; tf.greater has no gradient and would break autodiff).
    const useMargin = tf.step(tf.sub(c, m.easyMargin ? 0 : Math.cos(Math.PI - m2)));
    const fallback = m.easyMargin ? c : tf.sub(c, m2 * sinM);
    return tf.add(fallback, tf.mul(useMargin, tf.sub(phi, fallback)));
  }
  return tf.sub(tf.cos(tf.add(tf.mul(tf.acos(cc), m1), m2)), m3);
}

/** Validates labels against `numClasses` and returns them as an int32 tensor (caller disposes). */
function labelTensor(labels: LabelsLike, batch: number, numClasses: number): tf.Tensor1D {
  const values = labels instanceof tf.Tensor ? (labels.dataSync() as ArrayLike<number>) : labels;
  if (values.length !== batch) {
    throw new Error(`marginLogits: labels has ${values.length} entries but cosTheta has ${batch} rows`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new Error(`marginLogits: labels[${i}] = ${v} is out of range: expected an integer in [0, ${numClasses})`);
    }
  }
  return tf.tensor1d(Array.from(values), 'int32');
}

/** Margin logits from cosines and a one-hot label matrix (inside a tidy). */
function applyMargin(cosTheta: tf.Tensor2D, oneHot: tf.Tensor2D, m: ResolvedMargin): tf.Tensor2D {
  const cT = tf.sum(tf.mul(cosTheta, oneHot), 1) as tf.Tensor1D;
  const delta = tf.sub(targetMargin(cT, m), cT);
  return tf.mul(tf.add(cosTheta, tf.mul(oneHot, tf.expandDims(delta, 1))), m.s) as tf.Tensor2D;
}

function checkCos(cosTheta: tf.Tensor, fn: string): void {
  if (cosTheta.rank !== 2) throw new Error(`${fn}: cosTheta must be [batch, classes], got shape [${cosTheta.shape}]`);
}

/**
 * Margin logits [B, C] from cosines [B, C] between normalised features and class centres: the target
 * class of each row gets s·(cos(m1·θ + m2) − m3) (see {@link MarginOptions}), the others s·cos θ.
 * Differentiable w.r.t. `cosTheta` with the formulas' true derivatives.
 */
export function marginLogits(cosTheta: tf.Tensor2D, labels: LabelsLike, options: MarginOptions = {}): tf.Tensor2D {
  checkCos(cosTheta, 'marginLogits');
  const m = resolve(options);
  const [batch, numClasses] = cosTheta.shape;
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labelTensor(labels, batch, numClasses), numClasses).toFloat() as tf.Tensor2D;
    return applyMargin(cosTheta, oneHot, m);
  });
}

/**
 * Mean softmax cross-entropy of {@link marginLogits}: the ArcFace / CosFace / SphereFace loss on cosines
 * [B, C]. Returns a scalar.
 */
export function marginSoftmaxLoss(cosTheta: tf.Tensor2D, labels: LabelsLike, options: MarginOptions = {}): tf.Scalar {
  checkCos(cosTheta, 'marginSoftmaxLoss');
  const m = resolve(options);
  const [batch, numClasses] = cosTheta.shape;
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labelTensor(labels, batch, numClasses), numClasses).toFloat() as tf.Tensor2D;
    const logProb = tf.logSoftmax(applyMargin(cosTheta, oneHot, m));
    return tf.neg(tf.mean(tf.sum(tf.mul(logProb, oneHot), 1))) as tf.Scalar;
  });
}
