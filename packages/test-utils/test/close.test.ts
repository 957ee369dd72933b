import { describe, expect, it } from 'vitest';
import { expectClose, readGolden, randn, relErr } from '../src/index.js';

describe('expectClose', () => {
  it('accepts differences within max(atol, rtol·|expected|), and equal infinities', () => {
    expectClose(1 + 1e-7, 1, { atol: 2e-7 });
    expectClose(100.01, 100, { atol: 1e-6, rtol: 2e-4 }); // rtol·|e| = 0.02 dominates
    expectClose(0.5 + 1e-7, 0.5, { atol: 2e-7, rtol: 2e-7 }); // atol dominates below |e| = 1
    expectClose([Infinity, -Infinity, 3], [Infinity, -Infinity, 3]);
    expect(() => expectClose(1.1, 1, { atol: 0.05, rtol: 0.05 })).toThrow(/value: 1.1 vs expected 1, .*> tolerance 0.05/);
    expect(() => expectClose(NaN, NaN)).toThrow(/NaN vs expected NaN/);
  });

  it('names the first differing index in the shape of a nested array or tensor', () => {
    expect(() => expectClose([[1, 2], [3, 4]], [[1, 2.5], [3, 4.5]], { atol: 0.1 })).toThrow(/^\[0,1\]: 2 vs expected 2.5/);
    const tensor = { shape: [2, 3], dataSync: () => Float32Array.from([0, 1, 2, 3, 4, 6]) };
    expectClose(tensor, [[0, 1, 2], [3, 4, 6]]);
    expect(() => expectClose(tensor, [0, 1, 2, 3, 4, 5], { message: 'conv' })).toThrow(/^conv: \[1,2\]: 6 vs expected 5/);
  });

  it('fails on different sizes or shapes, naming both', () => {
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow(/shape \[2\] \(2 values\) vs expected \[3\] \(3\)/);
    expect(() => expectClose([[1, 2, 3]], [[1], [2], [3]])).toThrow(/shape \[1,3\] .* vs expected \[3,1\]/);
  });
});

describe('relErr, randn, readGolden', () => {
  it('relErr is max |a − b| over max |b|', () => {
    expect(relErr([1, 2.5, -4], [1, 2, -5])).toBe(1 / 5);
    expect(() => relErr([1], [1, 2])).toThrow(/length 1 vs 2/);
  });

  it('randn draws one normal per element of the shape', () => {
    let k = 0;
    expect(Array.from(randn({ normal: () => k++ }, [2, 3]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('readGolden parses test/golden/<file> beside the calling test', () => {
    expect(readGolden(import.meta.url, 'example.json')).toEqual({ made_by: 'by hand, for this test', values: [1, 2.5] });
  });
});
