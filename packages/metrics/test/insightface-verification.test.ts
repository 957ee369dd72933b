import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insightfaceAccuracy, insightfaceTarAtFar, verificationAccuracy } from '../src/index.js';

// Made by test/golden/make_insightface_verification.py from the numpy/scipy port of insightface's
// calculate_roc / calculate_val in test/golden/insightface_verification.py.
interface Case {
  name: string;
  distances: number[];
  issame: boolean[];
  folds: number;
  farTarget: number;
  accuracy: number;
  std: number;
  foldAccuracies: number[];
  thresholds: number[];
  tar: number;
  tarStd: number;
  far: number;
  foldTars: number[];
  foldFars: number[];
  valThresholds: number[];
}
const golden: { cases: Case[] } = JSON.parse(readFileSync(new URL('./golden/insightface_verification.json', import.meta.url), 'utf8'));

function close(a: number, b: number, tol: number): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);
}

describe('insightface protocol against the Python port of calculate_roc / calculate_val', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const acc = insightfaceAccuracy(c.distances, c.issame, { folds: c.folds });
      close(acc.accuracy, c.accuracy, 1e-9);
      close(acc.std, c.std, 1e-9);
      expect(acc.foldAccuracies).toEqual(c.foldAccuracies);
      expect(acc.thresholds).toEqual(c.thresholds);
      const val = insightfaceTarAtFar(c.distances, c.issame, c.farTarget, { folds: c.folds });
      close(val.tar, c.tar, 1e-9);
      close(val.tarStd, c.tarStd, 1e-9);
      close(val.far, c.far, 1e-9);
      expect(val.foldTars).toEqual(c.foldTars);
      expect(val.foldFars).toEqual(c.foldFars);
      val.thresholds.forEach((t, i) => close(t, c.valThresholds[i]!, 1e-12));
    });
  }
});

describe('insightface protocol by hand', () => {
  it('strict < on the 0.01 grid, first maximum; observed-score thresholds differ', () => {
    // Two folds of four pairs. Fold 1 trains on fold 0 (same 0.305, 0.4; different 0.6, 0.95): every grid
    // threshold in (0.4, 0.6] separates them and the first is 41·0.01; fold 0 trains on fold 1 (same 0.3, 0.405;
    // different 0.5, 0.9): the first separating grid threshold above 0.405 is again 41·0.01.
    const d = [0.305, 0.4, 0.6, 0.95, 0.3, 0.405, 0.5, 0.9];
    const same = [true, true, false, false, true, true, false, false];
    const r = insightfaceAccuracy(d, same, { folds: 2 });
    expect(r.thresholds).toEqual([41 * 0.01, 41 * 0.01]);
    expect(r.foldAccuracies).toEqual([1, 1]);
    // Observed-score thresholds (same iff ≤ t) put fold 1's threshold at 0.4, the largest same training
    // distance, and reject its held-out same pair at 0.405: 3/4.
    const ours = verificationAccuracy(d, same, { folds: 2, higherIsSame: false });
    expect(ours.thresholds[1]).toBe(0.4);
    expect(ours.foldAccuracies).toEqual([1, 0.75]);
    // A distance equal to the threshold is not accepted (strict <): fold 0 (same 0.41, different 0.2) at
    // t = 0.41, chosen on fold 1, gets both wrong; ≤ would accept the same pair.
    const strict = insightfaceAccuracy([0.41, 0.2, 0.1, 0.9], [true, false, true, false], { folds: 2, thresholds: [0.41, 1] });
    expect(strict.thresholds[0]).toBe(0.41);
    expect(strict.foldAccuracies[0]).toBe(0);
  });

  it('TAR@FAR interpolates the threshold between grid points', () => {
    // Training fold for fold 0 (pairs 4..7): different pairs at 0.2 and 0.6, so FAR is 0 for t ≤ 0.2, ½ for
    // t ∈ (0.2, 0.6], 1 above. FAR ¼ falls between grid points 0.2 (FAR 0, the last with FAR 0) and 0.201
    // (FAR ½): threshold 0.2 + 0.001·(¼ − 0)/(½ − 0) = 0.2005.
    const d = [0.1, 0.3, 0.25, 0.9, 0.1, 0.15, 0.2, 0.6];
    const same = [true, true, false, false, true, true, false, false];
    const r = insightfaceTarAtFar(d, same, 0.25, { folds: 2 });
    close(r.thresholds[0]!, 0.2 + 0.0005, 1e-12);
    // Held-out fold 0 at 0.2005: same 0.1 accepted, 0.3 not → TAR ½; different 0.25, 0.9 not → FAR 0.
    expect([r.foldTars[0], r.foldFars[0]]).toEqual([0.5, 0]);
  });

  it('names bad input', () => {
    expect(() => insightfaceAccuracy([1, 2, 3], [1, 0, 1], { folds: 4 })).toThrow(/insightfaceAccuracy: folds = 4: expected an integer in \[2, 3\]/);
    expect(() => insightfaceAccuracy([1, 2], [1, 0], { folds: 2, thresholds: [0, 1, 1] })).toThrow(/thresholds\[2\] = 1: expected finite, strictly ascending/);
    expect(() => insightfaceAccuracy([1, NaN], [1, 0], { folds: 2 })).toThrow(/distances\[1\] is NaN/);
    expect(() => insightfaceTarAtFar([1, 2, 3, 4], [1, 1, 0, 0], 1e-3, { folds: 2 })).toThrow(/fold 0 or its training folds lack same or different pairs/);
    expect(() => insightfaceTarAtFar([1, 2], [1, 0], 2)).toThrow(/far must be in \[0, 1\]/);
    expect(() => insightfaceTarAtFar([0.1, 0.2, 0.1, 0.2], [1, 0, 1, 0], 0, { folds: 2, thresholds: [0.5, 1] })).toThrow(
      /far = 0 is below the FAR 1 at the smallest threshold/,
    );
  });
});
