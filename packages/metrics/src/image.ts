/** Image quality metrics: PSNR and SSIM (Wang et al. 2004). */
import { toDense, type Dense, type MetricInput } from './input.js';
import { mse } from './regression.js';

/** Options of {@link psnr} and {@link ssim}. */
export interface ImageMetricOptions {
  /** The images' value range (max − min possible value): 1 for [0, 1] floats, 255 for 8-bit. */
  dataRange: number;
}

function checkRange(options: ImageMetricOptions | undefined, fn: string): number {
  const r = options?.dataRange;
  if (typeof r !== 'number' || !(r > 0) || !Number.isFinite(r)) {
    throw new Error(`${fn}: options.dataRange must be a positive number (e.g. 1 or 255), got ${r}`);
  }
  return r;
}

/** Reads two images that must have the same shape. */
function imagePair(a: MetricInput, b: MetricInput, fn: string): [Dense, Dense] {
  const da = toDense(a, 'a');
  const db = toDense(b, 'b');
  if (da.shape.join() !== db.shape.join()) throw new Error(`${fn}: a has shape [${da.shape}] but b has [${db.shape}]`);
  return [da, db];
}

/**
 * Peak signal-to-noise ratio 10·log10(dataRange² / MSE) in dB, the MSE taken over all values of `a` and
 * `b` (any equal shapes). Identical images give Infinity.
 */
export function psnr(a: MetricInput, b: MetricInput, options: ImageMetricOptions): number {
  const range = checkRange(options, 'psnr');
  const [da, db] = imagePair(a, b, 'psnr');
  return 10 * Math.log10((range * range) / mse(da.data, db.data));
}

const SSIM_SIGMA = 1.5;
const SSIM_RADIUS = 5; // 11×11 window: scipy's radius int(truncate·σ + 0.5) with truncate 3.5, as in skimage
const SSIM_K1 = 0.01;
const SSIM_K2 = 0.03;

const WINDOW = (() => {
  const w = Float64Array.from({ length: 2 * SSIM_RADIUS + 1 }, (_, k) => Math.exp(-((k - SSIM_RADIUS) ** 2) / (2 * SSIM_SIGMA ** 2)));
  const s = w.reduce((p, q) => p + q, 0);
  return w.map((v) => v / s);
})();

/**
 * Separable Gaussian filter of an h×w plane, computed on the valid region only ((h−10)×(w−10)): SSIM is
 * averaged there, so boundary handling never enters the result.
 */
function blurValid(plane: Float64Array, h: number, w: number): Float64Array {
  const ow = w - 2 * SSIM_RADIUS;
  const oh = h - 2 * SSIM_RADIUS;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW.length; k++) s += WINDOW[k] * plane[y * w + x + k];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW.length; k++) s += WINDOW[k] * rows[(y + k) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** Mean SSIM of one pair of h×w planes over the valid region. */
function ssimPlane(x: Float64Array, y: Float64Array, h: number, w: number, range: number): number {
  const n = h * w;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const [ux, uy, uxx, uyy, uxy] = [x, y, xx, yy, xy].map((p) => blurValid(p, h, w)) as [
    Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  ];
  const c1 = (SSIM_K1 * range) ** 2;
  const c2 = (SSIM_K2 * range) ** 2;
  let sum = 0;
  for (let i = 0; i < ux.length; i++) {
    const vx = uxx[i] - ux[i] * ux[i];
    const vy = uyy[i] - uy[i] * uy[i];
    const vxy = uxy[i] - ux[i] * uy[i];
    sum +=
      ((2 * ux[i] * uy[i] + c1) * (2 * vxy + c2)) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
  }
  return sum / ux.length;
}

/** Splits an [H, W], [H, W, C] or [N, H, W, C] image into its H×W planes. */
function planes(img: Dense, name: string): { h: number; w: number; list: Float64Array[] } {
  const s = img.shape;
  if (s.length < 2 || s.length > 4) throw new Error(`${name}: expected [H, W], [H, W, C] or [N, H, W, C], got [${s}]`);
  const [n, h, w, c] = (s.length === 2 ? [1, s[0], s[1], 1] : s.length === 3 ? [1, ...s] : s) as [number, number, number, number];
  const list: Float64Array[] = [];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const p = new Float64Array(h * w);
      for (let i = 0; i < p.length; i++) p[i] = img.data[(b * h * w + i) * c + ch];
      list.push(p);
    }
  }
  return { h: h, w: w, list };
}

/**
 * Structural similarity (Wang et al. 2004) with a Gaussian 11×11 window (σ = 1.5), K1 = 0.01, K2 = 0.03 and
 * population (co)variances, averaged over the valid region ((H−10)×(W−10)), then over channels and images:
 * scikit-image's `structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=dataRange, channel_axis=-1)`. Images are [H, W], [H, W, C]
 * (channels last) or [N, H, W, C], with H, W ≥ 11.
 */
export function ssim(a: MetricInput, b: MetricInput, options: ImageMetricOptions): number {
  const range = checkRange(options, 'ssim');
  const [da, db] = imagePair(a, b, 'ssim');
  const pa = planes(da, 'a');
  const pb = planes(db, 'b');
  const win = 2 * SSIM_RADIUS + 1;
  if (pa.h < win || pa.w < win) throw new Error(`ssim: images are ${pa.h}×${pa.w}, smaller than the ${win}×${win} window`);
  let sum = 0;
  for (let i = 0; i < pa.list.length; i++) sum += ssimPlane(pa.list[i], pb.list[i], pa.h, pa.w, range);
  return sum / pa.list.length;
}
