/** Classification metrics on class indices: accuracy, confusion matrix, macro-F1 and UAR. */
import { toDense, type MetricInput } from './input.js';

/** Options of the classification metrics. */
export interface ClassMetricOptions {
  /** Number of classes K; default: the largest label in either input + 1. */
  numClasses?: number;
}

/**
 * Reads labels as class indices: a 1-D input holds integer labels; a 2-D [N, K] input holds scores,
 * logits or one-hot rows and is reduced by argmax (first maximum).
 */
function toLabels(x: MetricInput, name: string): Int32Array {
  const { data, shape } = toDense(x, name);
  if (shape.length === 2) {
    const [n, k] = shape as [number, number];
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (data[i * k + j] > data[i * k + best]) best = j;
      out[i] = best;
    }
    return out;
  }
  if (shape.length !== 1) throw new Error(`${name}: expected labels [N] or scores [N, K], got shape [${shape}]`);
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i]) || data[i] < 0) {
      throw new Error(`${name}[${i}] = ${data[i]}: expected a non-negative integer class index`);
    }
    out[i] = data[i];
  }
  return out;
}

/**
 * The K×K confusion matrix: entry [i][j] counts samples of true class i predicted as class j.
 * Labels are integer class indices [N], or [N, K] scores/one-hot rows reduced by argmax.
 */
export function confusionMatrix(yTrue: MetricInput, yPred: MetricInput, options: ClassMetricOptions = {}): number[][] {
  const t = toLabels(yTrue, 'yTrue');
  const p = toLabels(yPred, 'yPred');
  if (t.length !== p.length) throw new Error(`yTrue has ${t.length} labels but yPred has ${p.length}`);
  if (t.length === 0) throw new Error('yTrue: expected at least one label');
  let maxLabel = 0;
  for (let i = 0; i < t.length; i++) maxLabel = Math.max(maxLabel, t[i], p[i]);
  const k = options.numClasses ?? maxLabel + 1;
  if (!Number.isInteger(k) || k <= maxLabel) {
    throw new Error(`numClasses = ${k} but a label is ${maxLabel}: expected an integer > every label`);
  }
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) m[t[i]][p[i]]++;
  return m;
}

/** The fraction of samples whose predicted class equals the true class. */
export function accuracy(yTrue: MetricInput, yPred: MetricInput): number {
  const m = confusionMatrix(yTrue, yPred);
  let hit = 0;
  let n = 0;
  for (let c = 0; c < m.length; c++) {
    hit += m[c][c];
    n += m[c].reduce((a, b) => a + b, 0);
  }
  return hit / n;
}

/**
 * Macro-averaged F1: the mean over classes of 2·TP / (2·TP + FP + FN), taken over the classes that occur
 * in yTrue or yPred (scikit-learn's `f1_score(average='macro')`).
 */
export function macroF1(yTrue: MetricInput, yPred: MetricInput, options: ClassMetricOptions = {}): number {
  const m = confusionMatrix(yTrue, yPred, options);
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < m.length; c++) {
    const tp = m[c][c];
    const fn = m[c].reduce((a, b) => a + b, 0) - tp;
    const fp = m.reduce((a, row) => a + row[c], 0) - tp;
    if (tp + fn + fp === 0) continue;
    sum += (2 * tp) / (2 * tp + fp + fn);
    classes++;
  }
  return sum / classes;
}

/**
 * Unweighted average recall: the mean over the classes that occur in yTrue of each class's recall
 * (scikit-learn's `balanced_accuracy_score`).
 */
export function uar(yTrue: MetricInput, yPred: MetricInput, options: ClassMetricOptions = {}): number {
  const m = confusionMatrix(yTrue, yPred, options);
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < m.length; c++) {
    const support = m[c].reduce((a, b) => a + b, 0);
    if (support === 0) continue;
    sum += m[c][c] / support;
    classes++;
  }
  return sum / classes;
}
