/**
 * Training curves through `@facelab/plot`, an optional peer: it brings the Vega renderer, which a trainer
 * that writes no curves should not have to install.
 */
import type { StepRecord } from './log.js';

/** Writes the PNG of the training curves at `path`; throws a one-line error when `@facelab/plot` is missing. */
export async function writeCurves(path: string, records: StepRecord[]): Promise<void> {
  let plot: typeof import('@facelab/plot');
  try {
    plot = await import('@facelab/plot');
  } catch (err) {
    throw new Error(`train: option 'curves' needs @facelab/plot (npm install @facelab/plot): ${(err as Error).message}`);
  }
  await plot.saveTrainingCurves(path, records);
}
