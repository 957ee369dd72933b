import { describe, expect, it } from 'vitest';
import { constantLr, cosineLr, polynomialLr, stepLr } from '../src/index.js';

const at = (f: (s: number) => number, steps: number[]) => steps.map(f);

describe('learning-rate schedules (hand-computed values)', () => {
  it('constant', () => {
    expect(at(constantLr(0.3), [0, 1, 1000])).toEqual([0.3, 0.3, 0.3]);
  });

  it('step: 0.1 halved every 3 steps', () => {
    const got = at(stepLr({ lr: 0.1, gamma: 0.5, every: 3 }), [0, 2, 3, 5, 6, 9]);
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 15));
  });

  it('cosine to 0 over 4 steps: (1 + cos(πt/4))/2', () => {
    const got = at(cosineLr({ lr: 1, totalSteps: 4 }), [0, 1, 2, 3, 4, 10]);
    [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 14));
  });

  it('cosine to a floor, with warm-up', () => {
    expect(cosineLr({ lr: 1, totalSteps: 4, floor: 0.1 })(2)).toBeCloseTo(0.55, 14); // 0.1 + 0.9·0.5
    const got = at(cosineLr({ lr: 1, totalSteps: 6, warmupSteps: 2 }), [0, 1, 2, 4, 6]);
    [0, 0.5, 1, 0.5, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 14));
  });

  it('polynomial (power 2) with linear warm-up, as insightface PolyScheduler', () => {
    const got = at(polynomialLr({ lr: 0.1, totalSteps: 10, warmupSteps: 2 }), [0, 1, 2, 4, 6, 10, 12]);
    // warm-up 0.1·s/2; then 0.1·(1 − (s−2)/8)²: s=4 → 0.1·0.75², s=6 → 0.1·0.5²
    [0, 0.05, 0.1, 0.05625, 0.025, 0, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 15));
    expect(polynomialLr({ lr: 1, totalSteps: 4, power: 1, end: 0.2 })(1)).toBeCloseTo(0.8, 15); // 0.2 + 0.8·0.75
  });

  it('rejects bad arguments by name', () => {
    expect(() => stepLr({ lr: 0.1, gamma: 0.5, every: 0 })).toThrow(/every must be a positive integer/);
    expect(() => cosineLr({ lr: 1, totalSteps: 2, warmupSteps: 2 })).toThrow(/totalSteps \(2\) must exceed warmupSteps \(2\)/);
    expect(() => constantLr(-1)).toThrow(/lr must be a non-negative number/);
  });
});
