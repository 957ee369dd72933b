/**
 * Best-checkpoint selection: after each epoch's validation the model is kept when its score beats the best so
 * far in the metric's direction (lower MSE, higher CCC/UAR). Upstream's trainer keeps `val >= best` for every
 * metric, so under MSE it keeps the worst epoch.
 */
import { writeFileAtomic } from '@facelab/runtime';
import { METRIC_DIRECTION, type MetricName, type Scores } from '../eval/scores.js';

/** The best epoch so far. */
export interface BestScore {
  epoch: number;
  scores: Scores;
}

/** Tracks the best validation score and writes `best_valid_scores.json`. */
export class BestCheckpoint {
  best: BestScore | undefined;

  constructor(readonly metric: MetricName, best?: BestScore) {
    this.best = best;
  }

  /** Whether `value` beats `than` in the metric's direction (ties do not). */
  isBetter(value: number, than: number): boolean {
    return METRIC_DIRECTION[this.metric] === 'min' ? value < than : value > than;
  }

  /** Offers an epoch's scores; true when they are the new best. NaN never is. */
  offer(epoch: number, scores: Scores): boolean {
    if (!Number.isFinite(scores.mean)) return false;
    if (this.best !== undefined && !this.isBetter(scores.mean, this.best.scores.mean)) return false;
    this.best = { epoch, scores };
    return true;
  }

  /** Writes the best scores as upstream's `best_valid_scores.json` (plus the epoch and per-label values). */
  async write(path: string): Promise<void> {
    if (!this.best) return;
    const { epoch, scores } = this.best;
    await writeFileAtomic(path, JSON.stringify({ [this.metric]: scores.mean, epoch, perLabel: scores.perLabel }, null, 2) + '\n');
  }
}
