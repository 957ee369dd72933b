/**
 * The addon on hand-computed convolutions (no TensorFlow.js): a 4×4 single-channel image and a 2×2 filter,
 * forward with bias and ReLU, the input gradient and the filter gradient, each worked out in the comments; the
 * geometry packing; one-line errors. Skipped, with the reason, where the addon was not built.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addonPath, GEOMETRY_FIELDS, loadOneDnn, packGeometry, type ConvGeometry } from '../src/index.js';

const built = existsSync(addonPath());
if (!built) {
  try {
    loadOneDnn();
  } catch (err) {
    console.log(`onednn addon tests skipped: ${(err as Error).message}`);
  }
}

// x = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]] (NHWC 1×4×4×1), filter [[1, 0], [0, -1]]
// (HWIO 2×2×1×1), stride 2, no padding: y[i][j] = x[2i][2j] − x[2i+1][2j+1] = −5 everywhere, a 2×2 output.
const x = Float32Array.from({ length: 16 }, (_, i) => i + 1);
const filter = Float32Array.from([1, 0, 0, -1]);
const geometry: ConvGeometry = {
  n: 1, h: 4, w: 4, cin: 1, kh: 2, kw: 2, cout: 1, oh: 2, ow: 2,
  strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0,
};

describe.skipIf(!built)('oneDNN addon on hand-computed convolutions', () => {
  const addon = built ? loadOneDnn() : undefined!;
  const g = packGeometry(geometry);

  it('forward: bias and ReLU fused', () => {
    const y = new Float32Array(4);
    addon.convForward(g, x, filter, Float32Array.from([7]), y, 1, 0);
    expect([...y]).toEqual([2, 2, 2, 2]); // relu(−5 + 7)
    addon.convForward(g, x, filter, Float32Array.from([3]), y, 1, 0);
    expect([...y]).toEqual([0, 0, 0, 0]); // relu(−5 + 3)
    addon.convForward(g, x, filter, null, y, 5, 0.1);
    expect([...y].map((v) => +v.toFixed(5))).toEqual([-0.5, -0.5, -0.5, -0.5]); // leaky ReLU 0.1 · −5
  });

  it('input gradient: each dy lands on the two taps of its window', () => {
    // dy = [[1, 2], [3, 4]]: dx[2i][2j] = dy[i][j] · 1, dx[2i+1][2j+1] = dy[i][j] · −1, zero elsewhere.
    const dx = new Float32Array(16);
    addon.convBackwardData(g, Float32Array.from([1, 2, 3, 4]), filter, dx);
    expect([...dx]).toEqual([1, 0, 2, 0, 0, -1, 0, -2, 3, 0, 4, 0, 0, -3, 0, -4]);
  });

  it('filter gradient: Σ dy · the pixel each tap read', () => {
    // dy = [[1, 2], [3, 4]]: dW[a][b] = Σ_ij dy[i][j] · x[2i+a][2j+b]; tap (0,0) reads 1, 3, 9, 11 → 1+6+27+44 = 78,
    // (0,1) reads 2, 4, 10, 12 → 88, (1,0) reads 5, 7, 13, 15 → 118, (1,1) reads 6, 8, 14, 16 → 128.
    const dw = new Float32Array(4);
    addon.convBackwardFilter(g, x, Float32Array.from([1, 2, 3, 4]), dw);
    expect([...dw]).toEqual([78, 88, 118, 128]);
  });

  it("padding and dilation: a 'same' 3×3 box filter at dilation 2 sums the in-bounds taps", () => {
    // 1×5×5×1 ones, 3×3 ones at dilation 2 (reach 5), padding 2 on every side: output (i, j) counts the taps
    // (i + 2a − 2, j + 2b − 2) inside the image: 3 rows × 3 cols at the centre, 2 × 2 at a corner.
    const ones = new Float32Array(25).fill(1);
    const y = new Float32Array(25);
    const d = packGeometry({ ...geometry, h: 5, w: 5, kh: 3, kw: 3, oh: 5, ow: 5, strideH: 1, strideW: 1, dilationH: 2, dilationW: 2, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 });
    addon.convForward(d, ones, new Float32Array(9).fill(1), null, y, 0, 0);
    const taps = (i: number) => [-2, 0, 2].filter((o) => i + o >= 0 && i + o < 5).length;
    expect([...y]).toEqual(Array.from({ length: 25 }, (_, k) => taps(Math.floor(k / 5)) * taps(k % 5)));
  });

  it('PReLU gradient: dy through where x > 0, alpha · dy elsewhere; dalpha sums x · dy where x ≤ 0', () => {
    // Rows [2, −1] and [0.5, −3], slopes [0.1, 0.2], dy [1, 2, 3, 4]: dx = [1, 0.2·2, 3, 0.2·4];
    // dalpha = [0 (both positive), −1·2 + −3·4 = −14].
    const dx = new Float32Array(4);
    const dalpha = new Float32Array(2);
    addon.preluBackward(2, 2, Float32Array.from([2, -1, 0.5, -3]), Float32Array.from([0.1, 0.2]), Float32Array.from([1, 2, 3, 4]), dx, dalpha);
    expect([...dx].map((v) => +v.toFixed(6))).toEqual([1, 0.4, 3, 0.8]);
    expect([...dalpha]).toEqual([0, -14]);
  });

  it('matMul: a 2×2 by 2×3 product by hand, with each operand stored transposed, and a broadcast batch', () => {
    // [[1, 2], [3, 4]] × [[5, 6, 7], [8, 9, 10]] = [[21, 24, 27], [47, 54, 61]].
    const want = [21, 24, 27, 47, 54, 61];
    const c = new Float32Array(6);
    addon.matMul(Int32Array.from([1, 1, 2, 2, 3, 0, 0]), Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6, 7, 8, 9, 10]), c);
    expect([...c]).toEqual(want);
    addon.matMul(Int32Array.from([1, 1, 2, 2, 3, 1, 0]), Float32Array.from([1, 3, 2, 4]), Float32Array.from([5, 6, 7, 8, 9, 10]), c);
    expect([...c]).toEqual(want);
    addon.matMul(Int32Array.from([1, 1, 2, 2, 3, 0, 1]), Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 8, 6, 9, 7, 10]), c);
    expect([...c]).toEqual(want);
    // Batch of 2 against one b: the second a is 2·the first, so its product is 2·want.
    const c2 = new Float32Array(12);
    addon.matMul(Int32Array.from([2, 1, 2, 2, 3, 0, 0]), Float32Array.from([1, 2, 3, 4, 2, 4, 6, 8]), Float32Array.from([5, 6, 7, 8, 9, 10]), c2);
    expect([...c2]).toEqual([...want, ...want.map((v) => 2 * v)]);
  });

  it('batch norm by hand: per-channel mean and biased variance, normalised output, and the gradients of Σ y', () => {
    // Two channels over 4 rows: channel 0 = [1, 2, 3, 6] (mean 3, variance (4+1+0+9)/4 = 3.5), channel 1 = 5 each
    // (mean 5, variance 0). gamma [2, 1], beta [0.5, −1], epsilon 0.5.
    const x = Float32Array.from([1, 5, 2, 5, 3, 5, 6, 5]);
    const [y, mean, variance] = [new Float32Array(8), new Float32Array(2), new Float32Array(2)];
    addon.batchNormForward(4, 2, 0.5, x, Float32Array.from([2, 1]), Float32Array.from([0.5, -1]), y, mean, variance);
    expect([...mean]).toEqual([3, 5]);
    expect([...variance]).toEqual([3.5, 0]);
    // y0 = 2 · (x − 3) / √4 + 0.5 = x − 2.5; y1 = 1 · 0 / √0.5 − 1 = −1.
    expect([...y].map((v) => +v.toFixed(5))).toEqual([-1.5, -1, -0.5, -1, 0.5, -1, 3.5, -1]);
    // d(Σ y)/dx = 0 (a normalised column sums to a constant); dgamma = Σ x̂ = 0; dbeta = rows = 4.
    const [dx, dgamma, dbeta] = [new Float32Array(8), new Float32Array(2), new Float32Array(2)];
    addon.batchNormBackward(4, 2, 0.5, new Float32Array(8).fill(1), x, Float32Array.from([2, 1]), mean, variance, dx, dgamma, dbeta);
    expect([...dx].every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect([...dgamma].map((v) => Math.abs(v) < 1e-6)).toEqual([true, true]);
    expect([...dbeta]).toEqual([4, 4]);
  });

  it('max-pool gradient by hand: each dy goes to its 2×2 window\'s maximum', () => {
    // x = 1..16 in a 4×4 image: each 2×2 window's maximum is its bottom-right pixel (indices 5, 7, 13, 15).
    const dx = new Float32Array(16);
    const g = packGeometry({ ...geometry, kh: 2, kw: 2 });
    addon.maxPoolBackward(g, x, Float32Array.from([1, 2, 3, 4]), dx);
    expect([...dx]).toEqual([0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4]);
  });

  it('counts its calls and reports its version', () => {
    const before = addon.info().calls;
    addon.convForward(g, x, filter, null, new Float32Array(4), 0, 0);
    const info = addon.info();
    expect(info.calls).toBe(before + 1);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(info.cachedProblems).toBeGreaterThan(0);
  });

  it('refuses wrong sizes, types and geometry in one line each', () => {
    const y = new Float32Array(4);
    expect(() => addon.convForward(g, x.subarray(1), filter, null, y, 0, 0)).toThrow('x: expected 16 values, got 15');
    expect(() => addon.convForward(g, x, filter, Float32Array.from([1, 2]), y, 0, 0)).toThrow('bias: expected 1 values, got 2');
    expect(() => addon.convBackwardFilter(g, x, new Float64Array(4) as unknown as Float32Array, new Float32Array(4))).toThrow('dy: expected a Float32Array');
    expect(() => addon.convForward(packGeometry({ ...geometry, strideH: 0 }), x, filter, null, y, 0, 0)).toThrow('geometry: sizes, strides and dilations must be positive');
    expect(() => addon.setThreads(0)).toThrow('threads: expected a positive integer');
    // A geometry whose output size does not follow from the input: oneDNN's own check, reported as one line.
    expect(() => addon.convForward(packGeometry({ ...geometry, oh: 3, ow: 3 }), x, filter, null, new Float32Array(9), 0, 0)).toThrow(/^oneDNN: /);
  });
});

describe('geometry packing', () => {
  it('packs the fields in the order the addon reads them', () => {
    expect([...packGeometry(geometry)]).toEqual(GEOMETRY_FIELDS.map((f) => geometry[f]));
    expect([...packGeometry(geometry)].slice(0, 9)).toEqual([1, 4, 4, 1, 2, 2, 1, 2, 2]);
  });
});
