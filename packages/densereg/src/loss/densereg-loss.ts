/**
 * DenseReg's training objective (arXiv 1803.02188, quantized regression), per axis a ∈ {u, v}:
 *   L_a = CE(q̂_a, q_a) over all pixels + λ · Σ_fg smoothL1(r̂_{a, q_a} − r_a) / |fg|
 * — (K + 1)-way cross-entropy on the bins (class 0 = background) averaged over every pixel, plus the
 * smooth-L1 (Fast R-CNN, β = 1) of the ground-truth bin's residual averaged over foreground pixels; the loss
 * is L_u + L_v. λ defaults to 1 (the released code has no training part to say otherwise). The direct-regression ablation
 * replaces the bins by a 2-way foreground cross-entropy and a smooth-L1 on u and v themselves
 * over foreground pixels. Targets are U and V maps with −1 on background.
 */
import { crossEntropyLoss, tf } from '@facelab/core-tensor';
import type { DenseRegHead } from '../model/densereg-net.js';

/** Ground truth of a batch: U and V maps [B, H, W], −1 on background. */
export interface DenseRegTargets {
  u: tf.Tensor3D;
  v: tf.Tensor3D;
}

/** Options of {@link denseRegLoss}. */
export interface DenseRegLossOptions {
  /** 'quantized' (default) or 'direct', as the network was built. */
  head?: DenseRegHead;
  /** Bins K (default 10). */
  bins?: number;
  /** Weight λ of the regression terms (default 1). */
  lambda?: number;
}

/** The loss and its parts, scalars. */
export interface DenseRegLossParts {
  loss: tf.Scalar;
  classification: tf.Scalar;
  regression: tf.Scalar;
}

/** Mean over mask of smoothL1(d) (β = 1): 0.5·d² below 1, |d| − 0.5 above. */
function maskedSmoothL1(d: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  const a = tf.abs(d);
  const c = tf.minimum(a, 1);
  const per = tf.add(tf.mul(0.5, tf.square(c)), tf.sub(a, c));
  return tf.div(tf.sum(tf.mul(per, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/** Bins q (int32, 0 = background) and residuals r of a U or V map, in-graph. */
export function quantizeTensor(u: tf.Tensor, bins: number): { q: tf.Tensor; r: tf.Tensor; mask: tf.Tensor } {
  return tf.tidy(() => {
    const mask = tf.cast(tf.greaterEqual(u, 0), 'float32');
    const bin = tf.clipByValue(tf.add(tf.floor(tf.mul(u, bins)), 1), 1, bins);
    const q = tf.cast(tf.mul(bin, mask), 'int32');
    const r = tf.mul(tf.sub(tf.mul(u, bins), tf.sub(bin, 1)), mask);
    return { q, r, mask };
  });
}

function checkShapes(output: tf.Tensor, targets: DenseRegTargets, channels: number): void {
  const [b, h, w, c] = output.shape;
  if (output.rank !== 4 || c !== channels) {
    throw new Error(`denseRegLoss: output must be [B, H, W, ${channels}], got [${output.shape}]`);
  }
  for (const [name, t] of Object.entries(targets)) {
    const s = (t as tf.Tensor).shape;
    if (s.length !== 3 || s[0] !== b || s[1] !== h || s[2] !== w) {
      throw new Error(`denseRegLoss: targets.${name} must be [${b}, ${h}, ${w}] like the output, got [${s}]`);
    }
  }
}

/** DenseReg's loss (quantized) or the direct-regression ablation's, with its classification and regression parts. */
export function denseRegLoss(output: tf.Tensor, targets: DenseRegTargets, options: DenseRegLossOptions = {}): DenseRegLossParts {
  const head = options.head ?? 'quantized';
  const bins = options.bins ?? 10;
  const lambda = options.lambda ?? 1;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`denseRegLoss: lambda must be ≥ 0, got ${lambda}`);
  checkShapes(output, targets, head === 'quantized' ? 2 * (2 * bins + 1) : 4);
  return tf.tidy(() => {
    let cls: tf.Scalar;
    let reg: tf.Scalar;
    if (head === 'quantized') {
      const per = 2 * bins + 1;
      const axis = (t: tf.Tensor3D, offset: number) => {
        const { q, r, mask } = quantizeTensor(t, bins);
        const logits = tf.slice(output, [0, 0, 0, offset], [-1, -1, -1, bins + 1]);
        const residuals = tf.slice(output, [0, 0, 0, offset + bins + 1], [-1, -1, -1, bins]);
        const picked = tf.sum(tf.mul(residuals, tf.oneHot(tf.cast(tf.sub(q, 1), 'int32'), bins)), -1);
        return { ce: crossEntropyLoss(q, logits), reg: maskedSmoothL1(tf.sub(picked, r), mask) };
      };
      const u = axis(targets.u, 0);
      const v = axis(targets.v, per);
      cls = tf.add(u.ce, v.ce);
      reg = tf.add(u.reg, v.reg);
    } else {
      const mask = tf.cast(tf.greaterEqual(targets.u, 0), 'float32');
      const logits = tf.slice(output, [0, 0, 0, 0], [-1, -1, -1, 2]);
      cls = crossEntropyLoss(tf.cast(mask, 'int32'), logits);
      const uv = tf.slice(output, [0, 0, 0, 2], [-1, -1, -1, 2]);
      const [uHat, vHat] = tf.unstack(uv, 3);
      reg = tf.add(maskedSmoothL1(tf.sub(uHat!, targets.u), mask), maskedSmoothL1(tf.sub(vHat!, targets.v), mask));
    }
    return { loss: tf.add(cls, tf.mul(lambda, reg)) as tf.Scalar, classification: cls, regression: reg };
  });
}
