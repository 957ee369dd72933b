/** UV sampling, re-rendering, clip matrices, the PCA subspace, completion and its scores, against hand computations. */
import { Rng } from '@facelab/runtime';
import { Matrix, solve } from 'ml-matrix';
import { expect, test } from 'vitest';
import { columnTexture, completeUv, renderUv, sampleUv, scoreUvCompletion, uvMatrix, uvSubspace, uvSupport, type UvTexture } from '../src/index.js';

test('sampleUv: mean per texel, off-face and invisible pixels skipped, mask where something landed', () => {
  // A 3×1 frame, 1 channel: two pixels in texel (0, 0) of a 2×2 grid, one invisible pixel in texel (1, 1).
  const frame = { width: 3, height: 1, channels: 1, pixels: [0.2, 0.6, 0.9], uv: [0.1, 0.2, 0.4, 0.3, 0.9, 0.9] };
  const t = sampleUv(frame, { size: 2 });
  expect([...t.mask]).toEqual([1, 0, 0, 1]);
  expect(t.data[0]).toBeCloseTo(0.4, 15);
  expect(t.data[3]).toBeCloseTo(0.9, 15);
  const hidden = sampleUv({ ...frame, visible: [1, 1, 0] }, { size: 2 });
  expect([...hidden.mask]).toEqual([1, 0, 0, 0]);
  const off = sampleUv({ ...frame, uv: [-1, -1, 0.4, 0.3, 1, 1] }, { size: 2 });
  expect([...off.mask]).toEqual([1, 0, 0, 1]);
  expect(off.data[0]).toBeCloseTo(0.6, 15);
});

test('renderUv reproduces a texture linear in u and v exactly inside the texel centres, background off the face', () => {
  const size = 8;
  const data = new Float64Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = 0.1 + 0.05 * x + 0.02 * y;
  const tex: UvTexture = { size, channels: 1, data, mask: new Uint8Array(size * size).fill(1) };
  const uv = [0.3, 0.6, 0.5, 0.5, -1, -1];
  const out = renderUv(tex, uv, 3, 1, { background: 0.25 });
  const at = (u: number, v: number) => 0.1 + 0.05 * (u * size - 0.5) + 0.02 * (v * size - 0.5);
  expect(out[0]).toBeCloseTo(at(0.3, 0.6), 12);
  expect(out[1]).toBeCloseTo(at(0.5, 0.5), 12);
  expect(out[2]).toBe(0.25);
  // Invalid texels are left out of the interpolation: with only column 0 valid, every lookup reads column 0.
  const edge = { ...tex, mask: Uint8Array.from({ length: size * size }, (_, i) => (i % size === 0 ? 1 : 0)) };
  expect(renderUv(edge, [0.1, 0.5], 1, 1)[0]).toBeCloseTo(data[3 * size]! + 0.5 * (data[4 * size]! - data[3 * size]!), 12);
});

/** Textures mean + a·p + b·q (rank 2 around a mean) on a 12×12×2 grid, with each texel missing with probability `missing`. */
function lowRankTextures(frames: number, missing: number, seed: number): { truth: UvTexture[]; observed: UvTexture[] } {
  const rng = new Rng(seed);
  const size = 12;
  const c = 2;
  const n = size * size * c;
  const [mean, p, q] = [0, 1, 2].map((k) => Float64Array.from({ length: n }, (_, i) => 0.5 + 0.2 * Math.sin(0.3 * i * (k + 1) + k)));
  const truth: UvTexture[] = [];
  const observed: UvTexture[] = [];
  for (let j = 0; j < frames; j++) {
    const a = rng.uniform(-0.5, 0.5);
    const b = rng.uniform(-0.5, 0.5);
    const data = Float64Array.from({ length: n }, (_, i) => mean[i]! + a * (p[i]! - 0.5) + b * (q[i]! - 0.5));
    const full = new Uint8Array(size * size).fill(1);
    truth.push({ size, channels: c, data, mask: full });
    const mask = Uint8Array.from(full, () => (rng.next() < missing ? 0 : 1));
    observed.push({ size, channels: c, data: data.map((v, i) => (mask[Math.floor(i / c)] ? v : 0)), mask });
  }
  return { truth, observed };
}

test('uvMatrix / columnTexture round trip over the support; uvSubspace spans the textures (mean + principal directions)', () => {
  const { truth } = lowRankTextures(10, 0, 1);
  const support = uvSupport(truth);
  expect(support.texels.length).toBe(144);
  const { M, mask } = uvMatrix(truth, support);
  expect([M.rows, M.columns]).toEqual([288, 10]);
  expect(mask.min()).toBe(1);
  expect([...columnTexture(M, 3, support).data]).toEqual([...truth[3]!.data]);
  const X = uvSubspace(truth, support, 2);
  // Columns 1.. are orthonormal and the projection of every (centred) texture onto [mean, u1, u2] leaves nothing.
  const U = X.subMatrix(0, X.rows - 1, 1, 2);
  expect(U.transpose().mmul(U).sub(Matrix.eye(2)).abs().max()).toBeLessThan(1e-10);
  const proj = X.mmul(solve(X.transpose().mmul(X), X.transpose().mmul(M)));
  expect(proj.sub(M).abs().max()).toBeLessThan(1e-9);
  expect(() => uvSubspace(truth, support, 10)).toThrow(/rank 10 needs at least 11 textures/);
});

test('completeUv: pcp fills 30 % missing texels of a rank-3 clip; pcpsf with the true subspace and a noisy prior does better', () => {
  const { truth, observed } = lowRankTextures(20, 0.3, 2);
  const missing = observed.map((t) => Uint8Array.from(t.mask, (v) => 1 - v));
  const plain = completeUv(observed, 'pcp', { tolDual: Infinity });
  const rng = new Rng(3);
  const prior = truth.map((t) => ({ ...t, data: t.data.map((v) => v + 0.05 * rng.normal()) }));
  const support = uvSupport(observed);
  const X = uvSubspace(truth, support, 2);
  const side = completeUv(observed, 'pcpsf', { prior, subspace: X, tolDual: Infinity });
  const mean = (r: typeof plain) => r.textures.reduce((s, t, j) => s + scoreUvCompletion(t, truth[j]!, missing[j]!).psnr, 0) / truth.length;
  expect(mean(plain)).toBeGreaterThan(30);
  expect(mean(side)).toBeGreaterThan(mean(plain));
  expect(side.result.H!.rows).toBe(3);
  expect(() => completeUv(observed, 'pcps')).toThrow(/pcps needs side information/);
  expect(() => completeUv(observed, 'pcpsf', { prior })).toThrow(/pcpsf needs options.subspace/);
  expect(() => completeUv(observed, 'pcps', { prior: prior.slice(1) })).toThrow(/prior has 19 textures but the clip has 20 frames/);
});

test('scoreUvCompletion: PSNR over the missing texels by hand; SSIM 1 for a perfect completion', () => {
  const size = 12;
  const truth: UvTexture = { size, channels: 1, data: Float64Array.from({ length: 144 }, (_, i) => (i % 7) / 7), mask: new Uint8Array(144).fill(1) };
  const missing = Uint8Array.from({ length: 144 }, (_, i) => (i < 10 ? 1 : 0));
  const est = { ...truth, data: truth.data.map((v, i) => (i < 10 ? v + 0.1 : v + 5)) };
  const s = scoreUvCompletion(est, truth, missing);
  // Texel 6 is 6/7 + 0.1 < 1, so no clipping: MSE = 0.01 over the 10 missing texels, PSNR = 20 dB exactly.
  expect(s.psnr).toBeCloseTo(20, 10);
  expect(s.missing).toBe(10);
  expect(s.ssim).toBeLessThan(1);
  expect(scoreUvCompletion(truth, truth, missing).ssim).toBeCloseTo(1, 12);
});
