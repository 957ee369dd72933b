/** Training curves from step records: loss and chosen metrics against the step, as a PNG. */
import { savePlot, type LineSeries } from './render.js';

/** The fields of a training log record (core-tensor's `StepRecord`) that curves read. */
export interface CurveRecord {
  step: number;
  loss?: number;
  metrics?: Record<string, number>;
  val?: Record<string, number>;
}

function pick(r: CurveRecord, key: string): number | undefined {
  if (key === 'loss') return r.loss;
  const [group, name] = key.split('.', 2) as [string, string];
  if (group === 'metrics') return r.metrics?.[name];
  if (group === 'val') return r.val?.[name];
  throw new Error(`saveTrainingCurves: unknown key '${key}' (use 'loss', 'metrics.<name>' or 'val.<name>')`);
}

/**
 * Plots `keys` of the records against the step and writes a PNG. Keys are 'loss', 'metrics.<name>' or
 * 'val.<name>'; the default is the training loss plus every validation value whose name contains 'loss'.
 */
export async function saveTrainingCurves(
  path: string,
  records: CurveRecord[],
  opts: { keys?: string[]; title?: string; logY?: boolean } = {},
): Promise<void> {
  const valLosses = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.val ?? {})) if (k.includes('loss')) valLosses.add(`val.${k}`);
  const keys = opts.keys ?? ['loss', ...valLosses];
  const series: LineSeries[] = keys.map((key) => {
    const x: number[] = [];
    const y: number[] = [];
    for (const r of records) {
      const v = pick(r, key);
      if (v !== undefined) {
        x.push(r.step);
        y.push(v);
      }
    }
    return { name: key, x, y };
  });
  await savePlot(path, series, { title: opts.title ?? 'training curves', xLabel: 'step', yLabel: 'value', logY: opts.logY });
}
