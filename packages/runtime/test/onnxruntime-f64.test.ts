/**
 * nativeGemmF64 (float64 Gemm on onnxruntime-node) against a plain triple loop on random inputs: every
 * transpose combination, ragged and degenerate shapes, relative error < 1e-12; bad input is refused.
 */
import { describe, expect, it } from 'vitest';
import { nativeGemmF64, nativeGemmF64Available, Rng } from '../src/index.js';

/** C = op(A)·op(B) by the definition, A stored m×k (k×m if transA), B k×n (n×k if transB). */
function reference(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += (transA ? a[t * m + i]! : a[i * k + t]!) * (transB ? b[j * k + t]! : b[t * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

function randn(rng: Rng, size: number): Float64Array {
  return Float64Array.from({ length: size }, () => rng.normal());
}

function relErr(x: Float64Array, ref: Float64Array): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) {
    d += (x[i]! - ref[i]!) ** 2;
    r += ref[i]! ** 2;
  }
  return Math.sqrt(d / r);
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [5, 3, 4],
  [17, 33, 9],
  [64, 1, 48],
  [3, 129, 70],
  [130, 65, 31],
];

describe('nativeGemmF64', () => {
  it('is available here (onnxruntime-node installs as an optional dependency)', () => {
    expect(nativeGemmF64Available()).toBe(true);
  });

  it('matches a triple loop for every transpose combination (rel. err < 1e-12)', () => {
    const rng = new Rng(7);
    for (const [m, k, n] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = randn(rng, m * k);
          const b = randn(rng, k * n);
          const c = nativeGemmF64(a, b, m, k, n, { transA, transB });
          expect(c, `${m}×${k}×${n} tA ${transA} tB ${transB}`).toBeInstanceOf(Float64Array);
          expect(c!.length).toBe(m * n);
          expect(relErr(c!, reference(a, b, m, k, n, transA, transB)), `${m}×${k}×${n} tA ${transA} tB ${transB}`).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('keeps float64 precision where float32 would not', () => {
    // 1e8·(1 + 1e-9) − 1·1e8 = 0.1 cancels 8 digits: float32 (24-bit mantissas) would return 0 or 8.
    const c = nativeGemmF64(Float64Array.of(1e8, -1), Float64Array.of(1 + 1e-9, 1e8), 1, 2, 1)!;
    expect(c[0]).toBeCloseTo(1e8 * (1 + 1e-9) - 1e8, 6);
  });

  it('reuses its cached graph and does not write into its inputs', () => {
    const rng = new Rng(3);
    const a = randn(rng, 6 * 4);
    const b = randn(rng, 5 * 4);
    const [a0, b0] = [a.slice(), b.slice()];
    const first = nativeGemmF64(a, b, 6, 4, 5, { transB: true })!;
    for (let r = 0; r < 20; r++) expect(nativeGemmF64(a, b, 6, 4, 5, { transB: true })).toEqual(first);
    expect(a).toEqual(a0);
    expect(b).toEqual(b0);
  });

  it('writes into `out` and runs on the requested number of threads with the same result', () => {
    const rng = new Rng(5);
    const [m, k, n] = [37, 150, 41];
    const a = randn(rng, m * k);
    const b = randn(rng, k * n);
    const ref = reference(a, b, m, k, n, true, false);
    const out = new Float64Array(m * n);
    expect(nativeGemmF64(a, b, m, k, n, { transA: true, out })).toBe(out);
    expect(relErr(out, ref)).toBeLessThan(1e-12);
    for (const threads of [1, 2]) expect(relErr(nativeGemmF64(a, b, m, k, n, { transA: true, threads })!, ref)).toBeLessThan(1e-12);
  });

  it('refuses bad dimensions and arrays of the wrong length or type', () => {
    const x = new Float64Array(6);
    expect(() => nativeGemmF64(x, x, 0, 6, 1)).toThrow(/m must be a positive integer, got 0/);
    expect(() => nativeGemmF64(x, x, 2, 1.5, 2)).toThrow(/k must be a positive integer/);
    expect(() => nativeGemmF64(x, new Float64Array(5), 2, 3, 2)).toThrow(/b must be a Float64Array of 3×2 = 6 values, got 5/);
    expect(() => nativeGemmF64(new Float32Array(6) as unknown as Float64Array, x, 2, 3, 2)).toThrow(/a must be a Float64Array of 2×3 = 6 values/);
    expect(() => nativeGemmF64(x, x, 2, 3, 2, { out: new Float64Array(5) })).toThrow(/out must be a Float64Array of 2×2 = 4 values/);
    expect(() => nativeGemmF64(x, x, 2, 3, 2, { threads: 0 })).toThrow(/threads must be a positive integer, got 0/);
  });
});
