import { describe, expect, it } from 'vitest';
import { expectClose } from '@facelab/test-utils';
import { Rng } from '@facelab/runtime';
import { averageFrames, blurPairAt, blurPairs, combBlur, drawBlurLength, parseBlurRange, type BlurPair } from '../src/index.js';
import { interiorMaxDiff, translatingClip } from './helpers.js';

async function all(pairs: AsyncIterable<BlurPair>): Promise<BlurPair[]> {
  const out: BlurPair[] = [];
  for await (const p of pairs) out.push(p);
  return out;
}

describe('averaging n frames of a translating pattern', () => {
  const size = 40;
  for (const [n, step] of [
    [7, [1, 0]],
    [9, [0, 1]],
    [7, [2, 0]],
    [11, [1, -2]],
    [13, [3, 1]],
  ] as const) {
    it(`equals the middle frame convolved with a ${n}-tap comb of step [${step}] away from the borders, to 1e-6`, () => {
      const frames = translatingClip(size, n + 4, step, 7);
      const centre = 2 + (n - 1) / 2;
      const pair = blurPairAt(frames, centre, n);
      const comb = combBlur(frames[centre]!, n, step);
      const { max, pixels } = interiorMaxDiff(pair.blurred, comb, size, n, step);
      expect(pixels).toBeGreaterThan(100);
      expect(max).toBeLessThan(1e-6);
      // The sharp target is the middle frame itself.
      expectClose(pair.sharp, frames[centre]!.data as Float32Array, { atol: 0 });
    });
  }

  it('a step of one pixel is a box filter: every interior pixel is the mean of its n horizontal neighbours', () => {
    const frames = translatingClip(24, 7, [1, 0], 3);
    const blurred = averageFrames(frames);
    const mid = frames[3]!.data as Float32Array;
    const x = 12;
    const y = 5;
    let s = 0;
    for (let k = -3; k <= 3; k++) s += mid[(y * 24 + x + k) * 3]!;
    expect(Math.abs(blurred[(y * 24 + x) * 3]! - s / 7)).toBeLessThan(1e-6);
  });

  it('reads bytes as value / 255', () => {
    const frames = translatingClip(16, 5, [1, 0], 2, true);
    const blurred = averageFrames(frames);
    const k = 100;
    const mean = frames.reduce((a, f) => a + f.data[k]!, 0) / 5 / 255;
    expect(Math.abs(blurred[k]! - mean)).toBeLessThan(1e-7);
  });
});

describe('blurPairs: streaming pairs over a clip', () => {
  it('centres a pair on every frame where the largest n fits, each with an odd n from the range, deterministic by seed', async () => {
    const frames = translatingClip(12, 30, [1, 1], 4);
    const pairs = await all(blurPairs(frames, { range: { min: 7, max: 13 }, seed: 5 }));
    expect(pairs.map((p) => p.centre)).toEqual(Array.from({ length: 30 - 12 }, (_, i) => 6 + i));
    for (const p of pairs) {
      expect(p.n % 2).toBe(1);
      expect(p.n).toBeGreaterThanOrEqual(7);
      expect(p.n).toBeLessThanOrEqual(13);
      expectClose(p.blurred, blurPairAt(frames, p.centre, p.n).blurred, { atol: 0 });
    }
    expect(new Set(pairs.map((p) => p.n)).size).toBeGreaterThan(1);
    const again = await all(blurPairs(frames, { range: { min: 7, max: 13 }, seed: 5 }));
    expect(again.map((p) => p.n)).toEqual(pairs.map((p) => p.n));
  });

  it('honours the stride and a fixed n', async () => {
    const frames = translatingClip(8, 20, [1, 0], 4);
    const pairs = await all(blurPairs(frames, { range: { min: 5, max: 5 }, stride: 4 }));
    expect(pairs.map((p) => [p.centre, p.n])).toEqual([
      [2, 5],
      [6, 5],
      [10, 5],
      [14, 5],
    ]);
  });

  it('a clip shorter than the range maximum gives pairs with n capped at its length', async () => {
    const frames = translatingClip(8, 9, [1, 0], 4);
    const pairs = await all(blurPairs(frames, { range: { min: 7, max: 13 }, seed: 1 }));
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      expect(p.centre - (p.n - 1) / 2).toBeGreaterThanOrEqual(0);
      expect(p.centre + (p.n - 1) / 2).toBeLessThan(9);
      expect(p.n).toBeGreaterThanOrEqual(7);
    }
  });
});

describe('blur lengths', () => {
  it('parses a number or an odd range', () => {
    expect(parseBlurRange('7-13')).toEqual({ min: 7, max: 13 });
    expect(parseBlurRange('9')).toEqual({ min: 9, max: 9 });
  });

  it('draws every odd length of the range and nothing else', () => {
    const rng = new Rng(3);
    const seen = new Set(Array.from({ length: 400 }, () => drawBlurLength(rng, { min: 7, max: 13 })));
    expect([...seen].sort((a, b) => a - b)).toEqual([7, 9, 11, 13]);
  });
});
