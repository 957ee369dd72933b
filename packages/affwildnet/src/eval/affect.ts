/**
 * Evaluation of valence/arousal predictions per video. CCC is reported both pooled over all frames and as
 * the mean of per-video CCCs, since OMG-Emotion and Aff-Wild changed between the two; plus MSE, Pearson and
 * sign agreement (SAGR), all pooled over frames.
 */
import {
  ccc,
  macroF1,
  mse,
  pearson,
  sagr,
  uar,
  accuracy,
} from '@facelab/metrics';

/** One video's frames: per-frame [valence, arousal] pairs. */
export type AffectFrames = readonly (readonly number[])[];

/** Metrics of one affect dimension. */
export interface AffectDimensionMetrics {
  /** CCC over all frames of all videos. */
  cccPooled: number;
  /** Mean of the per-video CCCs (videos whose gold and prediction are both constant are skipped). */
  cccPerVideo: number;
  mse: number;
  pearson: number;
  sagr: number;
}

/** {@link evaluateAffect}'s result: one entry per dimension. */
export interface AffectMetrics {
  valence: AffectDimensionMetrics;
  arousal: AffectDimensionMetrics;
}

const DIMS = ['valence', 'arousal'] as const;

/** Metrics of videos `gold[i]` vs `pred[i]` (same frame counts), each frame a [valence, arousal] pair. */
export function evaluateAffect(gold: readonly AffectFrames[], pred: readonly AffectFrames[]): AffectMetrics {
  if (gold.length !== pred.length || gold.length === 0) {
    throw new Error(`evaluateAffect: ${gold.length} gold videos but ${pred.length} predicted (need the same, ≥ 1)`);
  }
  gold.forEach((g, i) => {
    if (g.length !== pred[i]!.length) throw new Error(`evaluateAffect: video ${i} has ${g.length} gold frames but ${pred[i]!.length} predicted`);
  });
  const out = {} as AffectMetrics;
  DIMS.forEach((dim, k) => {
    const column = (videos: readonly AffectFrames[]) => videos.map((v) => v.map((f) => f[k]!));
    const g = column(gold);
    const p = column(pred);
    const perVideo = g.map((gv, i) => ccc(gv, p[i]!)).filter((c) => Number.isFinite(c));
    out[dim] = {
      cccPooled: ccc(g.flat(), p.flat()),
      cccPerVideo: perVideo.reduce((a, b) => a + b, 0) / perVideo.length,
      mse: mse(g.flat(), p.flat()),
      pearson: pearson(g.flat(), p.flat()),
      sagr: sagr(g.flat(), p.flat()),
    };
  });
  return out;
}

/** Accuracy, macro-F1 and UAR of class predictions (indices, or [N, K] scores reduced by argmax). */
export interface CategoryMetrics {
  accuracy: number;
  macroF1: number;
  uar: number;
}

/** Category metrics of `gold` labels vs `pred` labels or scores, over `numClasses` classes. */
export function evaluateCategories(gold: readonly number[], pred: readonly number[] | readonly (readonly number[])[], numClasses: number): CategoryMetrics {
  const p = pred as number[] | number[][];
  return {
    accuracy: accuracy(gold as number[], p),
    macroF1: macroF1(gold as number[], p, { numClasses }),
    uar: uar(gold as number[], p, { numClasses }),
  };
}
