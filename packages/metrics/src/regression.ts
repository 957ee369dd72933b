/** Regression and affect metrics: CCC, Pearson, MSE, RMSE, MAE and sign agreement. */
import { mean, toPair, toVector, type MetricInput } from './input.js';

/** Options of {@link ccc}. */
export interface CccOptions {
  /** Delta degrees of freedom of the variances and covariance: 0 = population (default), 1 = sample. */
  ddof?: number;
}

function moments(x: Float64Array, y: Float64Array, ddof: number) {
  if (!(Number.isInteger(ddof) && ddof >= 0)) throw new Error(`ccc/pearson: ddof must be an integer ≥ 0, got ${ddof}`);
  const n = x.length;
  if (n - ddof <= 0) throw new Error(`ccc/pearson: ${n} value(s) with ddof ${ddof}: need more than ddof values`);
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const d = n - ddof;
  return { mx, my, vx: sxx / d, vy: syy / d, cov: sxy / d };
}

/**
 * Lin's concordance correlation coefficient 2·cov / (var_t + var_p + (μ_t − μ_p)²) over all values.
 * Returns NaN when both inputs are constant and equal (0/0).
 */
export function ccc(yTrue: MetricInput, yPred: MetricInput, options: CccOptions = {}): number {
  const [t, p] = toPair(yTrue, yPred, ['yTrue', 'yPred']);
  const m = moments(t, p, options.ddof ?? 0);
  return (2 * m.cov) / (m.vx + m.vy + (m.mx - m.my) ** 2);
}

/**
 * CCC of per-sequence means, for utterance-level labels (OMG-Emotion): `sequencesTrue[i]` and
 * `sequencesPred[i]` hold the frame values of sequence i (lengths may differ between sequences and between
 * gold and prediction); each is averaged, and the CCC is taken over the sequences' means.
 */
export function cccPerSequenceMean(
  sequencesTrue: readonly MetricInput[],
  sequencesPred: readonly MetricInput[],
  options: CccOptions = {},
): number {
  if (sequencesTrue.length !== sequencesPred.length) {
    throw new Error(
      `sequencesTrue has ${sequencesTrue.length} sequences but sequencesPred has ${sequencesPred.length}`,
    );
  }
  const avg = (seqs: readonly MetricInput[], name: string) =>
    seqs.map((s, i) => {
      const v = toVector(s, `${name}[${i}]`);
      if (v.length === 0) throw new Error(`${name}[${i}] is empty`);
      return mean(v);
    });
  return ccc(avg(sequencesTrue, 'sequencesTrue'), avg(sequencesPred, 'sequencesPred'), options);
}

/** Pearson's correlation coefficient over all values (NaN if either input is constant). */
export function pearson(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = toPair(yTrue, yPred, ['yTrue', 'yPred']);
  const m = moments(t, p, 0);
  return m.cov / Math.sqrt(m.vx * m.vy);
}

/** Mean squared error over all values. */
export function mse(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = toPair(yTrue, yPred, ['yTrue', 'yPred']);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - p[i]) ** 2;
  return s / t.length;
}

/** Root mean squared error over all values. */
export function rmse(yTrue: MetricInput, yPred: MetricInput): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error over all values. */
export function mae(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = toPair(yTrue, yPred, ['yTrue', 'yPred']);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(t[i] - p[i]);
  return s / t.length;
}

/**
 * Sign agreement (SAGR, Aff-Wild/AFEW-VA): the fraction of values whose gold and predicted signs agree,
 * with Math.sign semantics (0 agrees only with 0).
 */
export function sagr(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = toPair(yTrue, yPred, ['yTrue', 'yPred']);
  let agree = 0;
  for (let i = 0; i < t.length; i++) if (Math.sign(t[i]) === Math.sign(p[i])) agree++;
  return agree / t.length;
}
