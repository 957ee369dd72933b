/**
 * Face verification metrics on pair scores: ROC AUC, TAR at a FAR, LFW-protocol accuracy, and insightface's
 * verification protocol (calculate_roc / calculate_val of arcface_torch's eval/verification.py).
 */
import { toPair, type MetricInput } from './input.js';

/** Options shared by the verification metrics. */
export interface VerificationOptions {
  /** True (default) if a higher score means "same" (similarities); false for distances. */
  higherIsSame?: boolean;
}

/** Pair labels: booleans, or numbers/tensors holding 0 and 1. */
export type PairLabels = readonly boolean[] | MetricInput;

/** Reads scores oriented so that higher means "same", and 0/1 labels; `name` names the scores in errors. */
function readPairs(scores: MetricInput, issame: PairLabels, options: VerificationOptions, name = 'scores') {
  const labels = Array.isArray(issame) && typeof issame[0] === 'boolean' ? issame.map(Number) : (issame as MetricInput);
  const [s, y] = toPair(scores, labels, [name, 'issame']);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`issame[${i}] = ${y[i]}: expected a boolean or 0/1`);
  }
  const sign = (options.higherIsSame ?? true) ? 1 : -1;
  return { s: s.map((v) => sign * v), same: y, sign };
}

function counts(same: Float64Array): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < same.length; i++) pos += same[i];
  if (pos === 0 || pos === same.length) throw new Error('issame: expected both same (true) and different (false) pairs');
  return { pos, neg: same.length - pos };
}

/**
 * Area under the ROC curve: the probability that a random same pair scores above a random different pair,
 * ties counting one half (Mann–Whitney U with average ranks, as scikit-learn's `roc_auc_score`).
 */
export function rocAuc(scores: MetricInput, issame: PairLabels, options: VerificationOptions = {}): number {
  const { s, same } = readPairs(scores, issame, options);
  const { pos, neg } = counts(same);
  const order = [...s.keys()].sort((a, b) => s[a] - s[b]);
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]] === s[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) rankSum += same[order[k]] * avgRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Result of {@link tarAtFar}. */
export interface TarAtFar {
  /** True accept rate: the fraction of same pairs accepted. */
  tar: number;
  /** The false accept rate reached (≤ the requested one). */
  far: number;
  /** Accept iff score ≥ threshold (higherIsSame) or score ≤ threshold (distances); ±Infinity accepts none. */
  threshold: number;
}

/**
 * True accept rate at a false accept rate: the loosest threshold among the observed scores whose FAR
 * (fraction of different pairs accepted) is at most `far`, and the TAR there.
 */
export function tarAtFar(
  scores: MetricInput,
  issame: PairLabels,
  far: number,
  options: VerificationOptions = {},
): TarAtFar {
  if (!(far >= 0 && far <= 1)) throw new Error(`tarAtFar: far must be in [0, 1], got ${far}`);
  const { s, same, sign } = readPairs(scores, issame, options);
  const { pos, neg } = counts(same);
  const negDesc = s.filter((_, i) => same[i] === 0).sort((a, b) => b - a);
  // Allowed false accepts; the epsilon keeps e.g. 0.29·100 from flooring to 28.
  const allowed = Math.floor(far * neg + 1e-9);
  // Accepting the `allowed` highest negatives means the threshold must exceed the next one.
  const bound = allowed < neg ? negDesc[allowed] : -Infinity;
  let t = Infinity;
  for (const v of s) if (v > bound && v < t) t = v;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] < t) continue;
    if (same[i]) tp++;
    else fp++;
  }
  return { tar: tp / pos, far: fp / neg, threshold: sign * t };
}

/** Options of {@link verificationAccuracy}. */
export interface VerificationAccuracyOptions extends VerificationOptions {
  /** Number of contiguous folds (default 10, the LFW protocol). */
  folds?: number;
}

/** Result of {@link verificationAccuracy}. */
export interface VerificationAccuracy {
  /** Mean of the held-out folds' accuracies. */
  accuracy: number;
  /** Population standard deviation of the fold accuracies (numpy's `np.std`, as insightface reports). */
  std: number;
  /** Each fold's threshold, chosen on the other folds, in the scores' units (same iff ≥, or ≤ for distances). */
  thresholds: number[];
  /** Each held-out fold's accuracy. */
  foldAccuracies: number[];
}

/**
 * The [start, end) index ranges of `k` contiguous folds of `n` pairs, sized as scikit-learn's `KFold` (the first
 * n mod k folds one larger); `fn` names the caller in the error for a bad `k`.
 */
function foldRanges(n: number, k: number, fn: string): [number, number][] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`${fn}: folds = ${k}: expected an integer in [2, ${n}] (the pair count)`);
  const out: [number, number][] = [];
  for (let f = 0, start = 0; f < k; f++) {
    const end = start + Math.floor(n / k) + (f < n % k ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** The values of `a` outside [start, end): a fold's training set. */
function outside(a: Float64Array, [start, end]: [number, number]): Float64Array {
  const out = new Float64Array(a.length - (end - start));
  out.set(a.subarray(0, start));
  out.set(a.subarray(end), start);
  return out;
}

function meanStd(x: number[]): { mean: number; std: number } {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return { mean, std: Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) };
}

/** Best threshold on (oriented) training scores: scanning from strictest to loosest, the first maximum. */
function bestThreshold(s: Float64Array, same: Float64Array): number {
  const order = [...s.keys()].sort((a, b) => s[b] - s[a]);
  let correct = same.length - same.reduce((a, b) => a + b, 0); // threshold +∞: every pair "different"
  let best = correct;
  let bestT = Infinity;
  for (let i = 0; i < order.length; ) {
    const t = s[order[i]];
    for (; i < order.length && s[order[i]] === t; i++) correct += same[order[i]] ? 1 : -1;
    if (correct > best) {
      best = correct;
      bestT = t;
    }
  }
  return bestT;
}

/**
 * Verification accuracy by the LFW 10-fold protocol on any score, with thresholds at the observed scores (for
 * insightface's fixed threshold grid on squared distances see {@link insightfaceAccuracy}): the pairs are split
 * into `folds` contiguous folds (sizes as scikit-learn's `KFold`, the first n mod folds one larger); for each fold the
 * threshold that maximises accuracy on the other folds is chosen and the held-out fold's accuracy measured.
 * Candidate thresholds are the training folds' observed scores plus "accept none"; a pair counts as same iff
 * its score ≥ threshold (higherIsSame) or ≤ threshold (distances). Ties in training accuracy go to the
 * strictest threshold (fewest pairs accepted), as insightface's first argmax over ascending distances does.
 */
export function verificationAccuracy(
  scores: MetricInput,
  issame: PairLabels,
  options: VerificationAccuracyOptions = {},
): VerificationAccuracy {
  const { s, same, sign } = readPairs(scores, issame, options);
  const thresholds: number[] = [];
  const foldAccuracies: number[] = [];
  for (const [start, end] of foldRanges(s.length, options.folds ?? 10, 'verificationAccuracy')) {
    const t = bestThreshold(outside(s, [start, end]), outside(same, [start, end]));
    let correct = 0;
    for (let i = start; i < end; i++) if ((s[i] >= t) === (same[i] === 1)) correct++;
    thresholds.push(sign * t);
    foldAccuracies.push(correct / (end - start));
  }
  const { mean: accuracy, std } = meanStd(foldAccuracies);
  return { accuracy, std, thresholds, foldAccuracies };
}

/** Options of {@link insightfaceAccuracy} and {@link insightfaceTarAtFar}. */
export interface InsightfaceProtocolOptions {
  /** Number of contiguous folds (default 10). */
  folds?: number;
  /**
   * Candidate thresholds on the squared distance, strictly ascending (default numpy's `arange(0, 4, 0.01)` for
   * the accuracy and `arange(0, 4, 0.001)` for TAR@FAR, as insightface's `evaluate`).
   */
  thresholds?: readonly number[];
}

/** numpy's `arange(0, stop, step)`: ⌈stop / step⌉ values i·step. */
function arange(stop: number, step: number): number[] {
  return Array.from({ length: Math.ceil(stop / step) }, (_, i) => i * step);
}

const ROC_THRESHOLDS = arange(4, 0.01);
const VAL_THRESHOLDS = arange(4, 0.001);

function readThresholds(t: readonly number[], fn: string): readonly number[] {
  if (t.length < 2) throw new Error(`${fn}: thresholds needs at least 2 values, got ${t.length}`);
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!) || (i > 0 && !(t[i]! > t[i - 1]!))) {
      throw new Error(`${fn}: thresholds[${i}] = ${t[i]}: expected finite, strictly ascending values`);
    }
  }
  return t;
}

/**
 * Counts of pairs accepted (distance < t) at every threshold t: `same[j]` and `diff[j]` for thresholds[j].
 * One sweep over the sorted distances.
 */
function acceptedCounts(d: Float64Array, same: Float64Array, thresholds: readonly number[]): { same: Int32Array; diff: Int32Array } {
  const order = [...d.keys()].sort((a, b) => d[a]! - d[b]!);
  const out = { same: new Int32Array(thresholds.length), diff: new Int32Array(thresholds.length) };
  let p = 0;
  let s = 0;
  for (let j = 0; j < thresholds.length; j++) {
    for (; p < order.length && d[order[p]!]! < thresholds[j]!; p++) s += same[order[p]!]!;
    out.same[j] = s;
    out.diff[j] = p - s;
  }
  return out;
}

/**
 * insightface's verification accuracy (`calculate_roc` of arcface_torch's eval/verification.py) on squared L2
 * distances between L2-normalised embeddings: contiguous folds as scikit-learn's `KFold`; per fold the first
 * threshold of `thresholds` (default `arange(0, 4, 0.01)`) that maximises accuracy on the other folds, a pair
 * counting as same iff distance < threshold (strict); the held-out fold's accuracy there; `std` the population
 * std. The result's `thresholds` are each fold's chosen distance threshold.
 */
export function insightfaceAccuracy(
  distances: MetricInput,
  issame: PairLabels,
  options: InsightfaceProtocolOptions = {},
): VerificationAccuracy {
  const fn = 'insightfaceAccuracy';
  const { s: d, same } = readPairs(distances, issame, {}, 'distances');
  const grid = readThresholds(options.thresholds ?? ROC_THRESHOLDS, fn);
  const thresholds: number[] = [];
  const foldAccuracies: number[] = [];
  for (const fold of foldRanges(d.length, options.folds ?? 10, fn)) {
    const trainSame = outside(same, fold);
    const acc = acceptedCounts(outside(d, fold), trainSame, grid);
    // Training tp + tn = accepted same + (different − accepted different): the argmax of their difference,
    // the first maximum winning as np.argmax.
    let best = 0;
    for (let j = 1; j < grid.length; j++) {
      if (acc.same[j]! - acc.diff[j]! > acc.same[best]! - acc.diff[best]!) best = j;
    }
    const t = grid[best]!;
    let correct = 0;
    for (let i = fold[0]; i < fold[1]; i++) if ((d[i]! < t) === (same[i] === 1)) correct++;
    thresholds.push(t);
    foldAccuracies.push(correct / (fold[1] - fold[0]));
  }
  const { mean: accuracy, std } = meanStd(foldAccuracies);
  return { accuracy, std, thresholds, foldAccuracies };
}

/** Result of {@link insightfaceTarAtFar}. */
export interface InsightfaceTarAtFar {
  /** Mean over the held-out folds of the true accept rate ("VAL"). */
  tar: number;
  /** Population std of the fold TARs. */
  tarStd: number;
  /** Mean over the held-out folds of the false accept rate reached. */
  far: number;
  /** Each fold's distance threshold (same iff distance < threshold), chosen on the other folds. */
  thresholds: number[];
  /** Each held-out fold's TAR and FAR. */
  foldTars: number[];
  foldFars: number[];
}

/**
 * scipy's `interp1d(x, y, kind='slinear')(at)` as scipy ≤ 1.8.1 evaluates it for non-decreasing `x` with
 * repeated values (the versions insightface's code runs on; later scipy rejects repeated x): the degree-1
 * B-spline with knots [x₀, x₀, x₁, …, xₙ₋₁, xₙ₋₁] and coefficients y, on the knot interval found by its linear
 * search (t[l] ≤ at < t[l + 1], the last interval at the right end), by de Boor's recursion, which gives 0 on a
 * degenerate interval.
 */
function slinearAt(x: Float64Array, y: readonly number[], at: number): number {
  const n = x.length;
  // Knot t[l] is x[l − 1]; the search starts at l = 2 and stops at l = n.
  let l = 2;
  while (l !== n && at >= x[l - 1]!) l++;
  const ell = l - 1;
  const xa = x[ell - 1]!;
  const xb = x[ell]!;
  if (xb === xa) return 0;
  const w = 1 / (xb - xa);
  return y[ell - 1]! * (w * (xb - at)) + y[ell]! * (w * (at - xa));
}

/**
 * insightface's TAR at a FAR (`calculate_val` of arcface_torch's eval/verification.py) on squared L2 distances
 * between L2-normalised embeddings: per fold, the FAR on the other folds at every threshold (default
 * `arange(0, 4, 0.001)`); if the largest reaches `far`, the threshold is `interp1d(farTrain, thresholds,
 * kind='slinear')(far)`, else 0; TAR and FAR of the held-out fold at it (same iff distance < threshold). Every
 * fold's training and held-out pairs must hold both same and different pairs (insightface divides by their counts).
 */
export function insightfaceTarAtFar(
  distances: MetricInput,
  issame: PairLabels,
  far = 1e-3,
  options: InsightfaceProtocolOptions = {},
): InsightfaceTarAtFar {
  const fn = 'insightfaceTarAtFar';
  if (!(far >= 0 && far <= 1)) throw new Error(`${fn}: far must be in [0, 1], got ${far}`);
  const { s: d, same } = readPairs(distances, issame, {}, 'distances');
  const grid = readThresholds(options.thresholds ?? VAL_THRESHOLDS, fn);
  const out: InsightfaceTarAtFar = { tar: 0, tarStd: 0, far: 0, thresholds: [], foldTars: [], foldFars: [] };
  const folds = foldRanges(d.length, options.folds ?? 10, fn);
  folds.forEach((fold, f) => {
    const trainSame = outside(same, fold);
    const pos = trainSame.reduce((a, b) => a + b, 0);
    const neg = trainSame.length - pos;
    const testPos = same.subarray(fold[0], fold[1]).reduce((a, b) => a + b, 0);
    const testNeg = fold[1] - fold[0] - testPos;
    if (pos === 0 || neg === 0 || testPos === 0 || testNeg === 0) {
      throw new Error(`${fn}: fold ${f} or its training folds lack same or different pairs (insightface divides by their counts)`);
    }
    const counts = acceptedCounts(outside(d, fold), trainSame, grid);
    const farTrain = Float64Array.from(counts.diff, (c) => c / neg);
    if (far < farTrain[0]!) throw new Error(`${fn}: far = ${far} is below the FAR ${farTrain[0]} at the smallest threshold (fold ${f})`);
    const t = farTrain[grid.length - 1]! >= far ? slinearAt(farTrain, grid, far) : 0;
    let ta = 0;
    let fa = 0;
    for (let i = fold[0]; i < fold[1]; i++) {
      if (!(d[i]! < t)) continue;
      if (same[i]) ta++;
      else fa++;
    }
    out.thresholds.push(t);
    out.foldTars.push(ta / testPos);
    out.foldFars.push(fa / testNeg);
  });
  const tars = meanStd(out.foldTars);
  return { ...out, tar: tars.mean, tarStd: tars.std, far: meanStd(out.foldFars).mean };
}
