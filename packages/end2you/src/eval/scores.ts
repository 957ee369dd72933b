/**
 * End2You's evaluation metrics (upstream `evaluation/metric_provider.py`) over the valid steps of every file
 * pooled: CCC and MSE per label, averaged over labels; UAR (macro recall) of argmax predictions for
 * classification. Which direction is better: lower MSE, higher CCC and UAR (upstream keeps `val >= best` for all).
 */
import { ccc, mse, uar } from '@facelab/metrics';

/** The evaluation metrics. */
export type MetricName = 'ccc' | 'mse' | 'uar';

/** Metric names, for argument checks. */
export const METRIC_NAMES: readonly MetricName[] = ['ccc', 'mse', 'uar'];

/** Whether larger ('max') or smaller ('min') values of a metric are better. */
export const METRIC_DIRECTION: Readonly<Record<MetricName, 'min' | 'max'>> = { ccc: 'max', mse: 'min', uar: 'max' };

/** Checks a metric name. */
export function checkMetricName(name: string): MetricName {
  if (!(METRIC_NAMES as readonly string[]).includes(name)) throw new Error(`metric must be one of ${METRIC_NAMES.join(', ')}, got '${name}'`);
  return name as MetricName;
}

/** Per-file predictions [S][outputs] and labels [S][L] (valid steps only). */
export interface ScoredSequence {
  predictions: number[][];
  labels: number[][];
}

/** A metric's value per label and their mean. */
export interface Scores {
  metric: MetricName;
  perLabel: Record<string, number>;
  mean: number;
}

/** Scores sequences with `metric` (see the module comment); `labelNames` name the label columns. */
export function scoreSequences(sequences: ScoredSequence[], metric: MetricName, labelNames: readonly string[]): Scores {
  checkMetricName(metric);
  const rows = sequences.flatMap((s, i) => {
    if (s.predictions.length !== s.labels.length) throw new Error(`sequence ${i}: ${s.predictions.length} predictions for ${s.labels.length} labels`);
    return s.predictions.map((p, t) => ({ p, l: s.labels[t]! }));
  });
  if (rows.length === 0) throw new Error('scoreSequences: no steps to score');
  const perLabel: Record<string, number> = {};
  if (metric === 'uar') {
    const argmax = (v: number[]) => v.reduce((best, x, k) => (x > v[best]! ? k : best), 0);
    perLabel[labelNames[0]!] = uar(rows.map((r) => r.l[0]!), rows.map((r) => argmax(r.p)));
  } else {
    labelNames.forEach((name, j) => {
      const t = rows.map((r) => r.l[j]!);
      const p = rows.map((r) => r.p[j]!);
      perLabel[name] = metric === 'ccc' ? ccc(t, p) : mse(t, p);
    });
  }
  const values = Object.values(perLabel);
  return { metric, perLabel, mean: values.reduce((a, b) => a + b, 0) / values.length };
}
