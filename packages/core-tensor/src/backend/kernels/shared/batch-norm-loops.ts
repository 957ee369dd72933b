/**
 * Training-mode batch norm over the last axis of a row-major [M, C] buffer, as plain loops shared by the cpu
 * and wasm kernels: two passes forward (statistics, normalise) and two backward (sums, dx). Per-channel sums
 * accumulate in float64 (a one-pass E[x²] − E[x]² is then exact enough for float32 data) and every value is
 * computed in float64 and rounded once.
 */

/** Per-channel Σx and Σx² over the M rows of x: one pass, channels innermost. */
function sumsAndSquares(x: Float32Array, c: number): [Float64Array, Float64Array] {
  const s = new Float64Array(c);
  const s2 = new Float64Array(c);
  for (let o = 0; o < x.length; o += c) {
    for (let ch = 0; ch < c; ch++) {
      const v = x[o + ch]!;
      s[ch]! += v;
      s2[ch]! += v * v;
    }
  }
  return [s, s2];
}

/** Per-channel Σdy and Σdy·(x − μ) over the M rows: one pass over both. */
function gradientSums(dy: Float32Array, x: Float32Array, mu: Float64Array): [Float64Array, Float64Array] {
  const c = mu.length;
  const s = new Float64Array(c);
  const s2 = new Float64Array(c);
  for (let o = 0; o < x.length; o += c) {
    for (let ch = 0; ch < c; ch++) {
      const d = dy[o + ch]!;
      s[ch]! += d;
      s2[ch]! += d * (x[o + ch]! - mu[ch]!);
    }
  }
  return [s, s2];
}

/** y = x·k[c] + m[c] per element: the forward's normalising pass. */
function scaleShift(y: Float32Array, x: Float32Array, k: Float64Array, m: Float64Array): void {
  const c = k.length;
  for (let o = 0; o < y.length; o += c) {
    for (let ch = 0; ch < c; ch++) y[o + ch] = x[o + ch]! * k[ch]! + m[ch]!;
  }
}

/** dx = dy·k[c] + x·a[c] + b[c] per element: the backward's one elementwise pass. */
function gradientPass(dx: Float32Array, dy: Float32Array, x: Float32Array, k: Float64Array, a: Float64Array, b: Float64Array): void {
  const c = k.length;
  for (let o = 0; o < dx.length; o += c) {
    for (let ch = 0; ch < c; ch++) dx[o + ch] = dy[o + ch]! * k[ch]! + x[o + ch]! * a[ch]! + b[ch]!;
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
  const [s, s2] = sumsAndSquares(x, c);
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
  scaleShift(y, x, scale, shift);
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
  const [sdy, sdyx] = gradientSums(dy, x, mu);
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
  gradientPass(dx, dy, x, k, a, b);
}
