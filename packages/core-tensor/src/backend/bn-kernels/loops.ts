/**
 * Training-mode batch norm over the last axis of a row-major [M, C] buffer, as plain loops shared by the cpu
 * and wasm kernels: two passes forward (statistics, normalise) and two backward (sums, dx). Per-channel sums
 * accumulate in float64 (a one-pass E[x²] − E[x]² is then exact enough for float32 data) and every value is
 * computed in float64 and rounded once.
 */

/** Per-channel sums of `a` (and of a·b when `b` is given) over the M rows: one pass, channels innermost. */
function channelSums(a: Float32Array, c: number, b?: Float32Array, centre?: Float64Array): [Float64Array, Float64Array] {
  const s = new Float64Array(c);
  const s2 = new Float64Array(c);
  for (let o = 0; o < a.length; o += c) {
    for (let ch = 0; ch < c; ch++) {
      const v = a[o + ch]!;
      s[ch]! += v;
      // b·(x − centre) when b is given (the gradient's Σ dy·(x − μ)), else v² (the variance's Σ x²).
      s2[ch]! += b === undefined ? v * v : v * (b[o + ch]! - centre![ch]!);
    }
  }
  return [s, s2];
}

/** out = a·k[c] + b·l[c] + m[c] per element (b optional): the one elementwise pass of both directions. */
function affine(out: Float32Array, c: number, a: Float32Array, k: Float64Array, m: Float64Array, b?: Float32Array, l?: Float64Array): void {
  for (let o = 0; o < out.length; o += c) {
    if (b === undefined) {
      for (let ch = 0; ch < c; ch++) out[o + ch] = a[o + ch]! * k[ch]! + m[ch]!;
    } else {
      for (let ch = 0; ch < c; ch++) out[o + ch] = a[o + ch]! * k[ch]! + b[o + ch]! * l![ch]! + m[ch]!;
    }
  }
}

/**
 * Forward: batch mean μ and biased variance σ² of x [M, C] per channel, y = γ·(x − μ)/√(σ² + ε) + β.
 * Writes y, mean and variance.
 */
export function batchNormTrainLoop(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
  y: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const c = gamma.length;
  const m = x.length / c;
  const [s, s2] = channelSums(x, c);
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const mu = s[ch]! / m;
    const v = Math.max(0, s2[ch]! / m - mu * mu);
    mean[ch] = mu;
    variance[ch] = v;
    scale[ch] = gamma[ch]! / Math.sqrt(v + epsilon);
    shift[ch] = beta[ch]! - mu * scale[ch]!;
  }
  affine(y, c, x, scale, shift);
}

/**
 * Backward of the forward above through μ and σ² (what differentiating tf.moments + tf.batchNorm gives):
 * with x̂ = (x − μ)/σ, σ = √(σ² + ε): dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/M − x̂·dγ/M)
 * + dμ/M + 2·dσ²·(x − μ)/M, the last two terms for gradients arriving at the mean and variance outputs
 * (zeros in a layer, which only feeds them to its moving averages). Writes dx, dgamma and dbeta.
 */
export function batchNormTrainGradLoop(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  dmean: Float32Array,
  dvariance: Float32Array,
  epsilon: number,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
): void {
  const c = gamma.length;
  const m = x.length / c;
  const mu = Float64Array.from(mean);
  const [sdy, sdyx] = channelSums(dy, c, x, mu);
  // dx = k·dy + a·x + b per channel, expanded from the formula above.
  const k = new Float64Array(c);
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const inv = 1 / Math.sqrt(variance[ch]! + epsilon);
    const dg = sdyx[ch]! * inv;
    dbeta[ch] = sdy[ch]!;
    dgamma[ch] = dg;
    k[ch] = gamma[ch]! * inv;
    a[ch] = (-k[ch]! * inv * dg + 2 * dvariance[ch]!) / m;
    b[ch] = (-k[ch]! * sdy[ch]! + dmean[ch]!) / m - a[ch]! * mu[ch]!;
  }
  affine(dx, c, dy, k, b, x, a);
}
