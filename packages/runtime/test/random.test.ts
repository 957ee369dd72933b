import { describe, expect, it } from 'vitest';
import { mulberry32, Rng } from '../src/index.js';

describe('mulberry32', () => {
  it('matches an independent Python implementation of the reference C code', () => {
    // python: s=(s+0x6D2B79F5)&M; t=s; t=((t^(t>>15))*(t|1))&M; t^=(t+((t^(t>>7))*(t|61)&M))&M; t^(t>>14)
    const words = (seed: number) => {
      const r = mulberry32(seed);
      return [r(), r(), r()].map((x) => x * 4294967296);
    };
    expect(words(1)).toEqual([2693262067, 11749833, 2265367787]);
    expect(words(42)).toEqual([2581720956, 1925393290, 3661312704]);
  });

  it('resumes from a stored state', () => {
    const a = new Rng(7);
    a.next();
    const saved = a.state;
    const expected = [a.next(), a.normal(), a.int(10)];
    const b = new Rng(0);
    b.state = saved;
    expect([b.next(), b.normal(), b.int(10)]).toEqual(expected);
  });

  it('shuffles to a permutation', () => {
    const xs = new Rng(3).shuffle([...Array(50).keys()]);
    expect([...xs].sort((p, q) => p - q)).toEqual([...Array(50).keys()]);
    expect(xs).not.toEqual([...Array(50).keys()]);
  });
});
