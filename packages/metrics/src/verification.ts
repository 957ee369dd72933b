/** Face verification metrics on pair scores: ROC AUC, TAR at a FAR, and LFW-protocol accuracy. */
import { toPair, type MetricInput } from './input.js';

/** Options shared by the verification metrics. */
export interface VerificationOptions {
  /** True (default) if a higher score means "same" (similarities); false for distances. */
  higherIsSame?: boolean;
}

/** Pair labels: booleans, or numbers/tensors holding 0 and 1. */
export type PairLabels = readonly boolean[] | MetricInput;

/** Reads scores oriented so that higher means "same", and 0/1 labels. */
function readPairs(scores: MetricInput, issame: PairLabels, options: VerificationOptions) {
  const labels = Array.isArray(issame) && typeof issame[0] === 'boolean' ? issame.map(Number) : (issame as MetricInput);
  const [s, y] = toPair(scores, labels, ['scores', 'issame']);
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
 * Verification accuracy by the LFW protocol (as insightface evaluates it): the pairs are split into `folds`
 * contiguous folds (sizes as scikit-learn's `KFold`, the first n mod folds one larger); for each fold the
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
  const k = options.folds ?? 10;
  const n = s.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`folds = ${k}: expected an integer in [2, ${n}] (the pair count)`);
  const thresholds: number[] = [];
  const foldAccuracies: number[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const end = start + Math.floor(n / k) + (f < n % k ? 1 : 0);
    const train = (a: Float64Array) => Float64Array.from([...a.subarray(0, start), ...a.subarray(end)]);
    const t = bestThreshold(train(s), train(same));
    let correct = 0;
    for (let i = start; i < end; i++) if ((s[i] >= t) === (same[i] === 1)) correct++;
    thresholds.push(sign * t);
    foldAccuracies.push(correct / (end - start));
    start = end;
  }
  const accuracy = foldAccuracies.reduce((a, b) => a + b, 0) / k;
  const std = Math.sqrt(foldAccuracies.reduce((a, b) => a + (b - accuracy) ** 2, 0) / k);
  return { accuracy, std, thresholds, foldAccuracies };
}
