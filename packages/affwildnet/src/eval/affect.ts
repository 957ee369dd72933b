/**
 * Evaluation of valence/arousal predictions. Frame level ({@link evaluateAffect}): CCC pooled over all frames
 * (Aff-Wild's challenge metric and the released eval_script.py), the mean of per-clip CCCs, and — given each
 * frame's video — the mean of per-video CCCs over all frames of each video; plus MSE, Pearson and sign agreement
 * (SAGR) pooled over frames. Utterance level ({@link evaluateUtterances}): OMG-Emotion's challenge metric, the
 * CCC over utterances of the mean frame prediction per utterance.
 */
import { accuracy, ccc, cccPerSequenceMean, macroF1, mse, pearson, sagr, uar } from '@facelab/metrics';

/** One clip's (or utterance's) frames: per-frame [valence, arousal] pairs. */
export type AffectFrames = readonly (readonly number[])[];

/** Frame-level metrics of one affect dimension. */
export interface AffectDimensionMetrics {
  /** CCC over all frames of all clips (Aff-Wild's metric). */
  cccPooled: number;
  /** Mean of the per-clip CCCs (clips whose gold and prediction are both constant are skipped). */
  cccPerClip: number;
  /**
   * Mean of the per-video CCCs, each over all frames of one video (whatever clips they fall in); only when
   * {@link EvaluateAffectOptions.videos} is given. Videos whose gold and prediction are both constant are skipped.
   */
  cccPerVideo?: number;
  mse: number;
  pearson: number;
  sagr: number;
}

/** {@link evaluateAffect}'s result: one entry per dimension. */
export interface AffectMetrics {
  valence: AffectDimensionMetrics;
  arousal: AffectDimensionMetrics;
}

/** Options of {@link evaluateAffect}. */
export interface EvaluateAffectOptions {
  /** The video of every frame, per clip (same shape as the clips' frames): enables `cccPerVideo`. */
  videos?: readonly (readonly string[])[];
}

const DIMS = ['valence', 'arousal'] as const;

const meanOfFinite = (values: readonly number[]) => {
  const finite = values.filter((c) => Number.isFinite(c));
  return finite.reduce((a, b) => a + b, 0) / finite.length;
};

function checkClips(gold: readonly AffectFrames[], pred: readonly AffectFrames[], fn: string, unit: string): void {
  if (gold.length !== pred.length || gold.length === 0) {
    throw new Error(`${fn}: ${gold.length} gold ${unit}s but ${pred.length} predicted (need the same, ≥ 1)`);
  }
  gold.forEach((g, i) => {
    if (g.length !== pred[i]!.length) throw new Error(`${fn}: ${unit} ${i} has ${g.length} gold frames but ${pred[i]!.length} predicted`);
    if (g.length === 0) throw new Error(`${fn}: ${unit} ${i} has no frames`);
  });
}

/** One dimension's gold and predicted frame values grouped by video, in order of first appearance. */
function byVideo(gold: number[][], pred: number[][], videos: readonly (readonly string[])[]): { g: number[]; p: number[] }[] {
  const groups = new Map<string, { g: number[]; p: number[] }>();
  gold.forEach((clip, i) =>
    clip.forEach((v, t) => {
      const name = videos[i]![t]!;
      const group = groups.get(name) ?? { g: [], p: [] };
      groups.set(name, group);
      group.g.push(v);
      group.p.push(pred[i]![t]!);
    }),
  );
  return [...groups.values()];
}

/** Frame-level metrics of clips `gold[i]` vs `pred[i]` (same frame counts), each frame a [valence, arousal] pair. */
export function evaluateAffect(gold: readonly AffectFrames[], pred: readonly AffectFrames[], options: EvaluateAffectOptions = {}): AffectMetrics {
  checkClips(gold, pred, 'evaluateAffect', 'clip');
  const { videos } = options;
  if (videos !== undefined) {
    if (videos.length !== gold.length) throw new Error(`evaluateAffect: videos names ${videos.length} clips but there are ${gold.length}`);
    videos.forEach((v, i) => {
      if (v.length !== gold[i]!.length) throw new Error(`evaluateAffect: videos[${i}] names ${v.length} frames but clip ${i} has ${gold[i]!.length}`);
    });
  }
  const out = {} as AffectMetrics;
  DIMS.forEach((dim, k) => {
    const column = (clips: readonly AffectFrames[]) => clips.map((v) => v.map((f) => f[k]!));
    const g = column(gold);
    const p = column(pred);
    out[dim] = {
      cccPooled: ccc(g.flat(), p.flat()),
      cccPerClip: meanOfFinite(g.map((gv, i) => ccc(gv, p[i]!))),
      ...(videos === undefined ? {} : { cccPerVideo: meanOfFinite(byVideo(g, p, videos).map((v) => ccc(v.g, v.p))) }),
      mse: mse(g.flat(), p.flat()),
      pearson: pearson(g.flat(), p.flat()),
      sagr: sagr(g.flat(), p.flat()),
    };
  });
  return out;
}

/** Utterance-level metrics of one affect dimension (OMG-Emotion). */
export interface UtteranceDimensionMetrics {
  /** CCC over utterances of the per-utterance mean frame values (OMG-Emotion's challenge metric). */
  ccc: number;
  /** MSE of the per-utterance means. */
  mse: number;
  /** Pearson correlation of the per-utterance means. */
  pearson: number;
}

/** {@link evaluateUtterances}'s result: one entry per dimension. */
export interface UtteranceMetrics {
  valence: UtteranceDimensionMetrics;
  arousal: UtteranceDimensionMetrics;
}

/** Mean [valence, arousal] of each utterance's frames (an utterance-level prediction from frame predictions). */
export function utteranceMeans(utterances: readonly AffectFrames[]): [number, number][] {
  return utterances.map((frames, i) => {
    if (frames.length === 0) throw new Error(`utteranceMeans: utterance ${i} has no frames`);
    const sum = frames.reduce<[number, number]>((s, f) => [s[0] + f[0]!, s[1] + f[1]!], [0, 0]);
    return [sum[0] / frames.length, sum[1] / frames.length];
  });
}

/**
 * OMG-Emotion's evaluation: `gold[i]` and `pred[i]` hold utterance i's frames (gold frames carry the
 * utterance's label; frame counts may differ); each utterance is reduced to its mean and CCC, MSE and Pearson
 * are taken over the utterances.
 */
export function evaluateUtterances(gold: readonly AffectFrames[], pred: readonly AffectFrames[]): UtteranceMetrics {
  if (gold.length !== pred.length || gold.length === 0) {
    throw new Error(`evaluateUtterances: ${gold.length} gold utterances but ${pred.length} predicted (need the same, ≥ 1)`);
  }
  const g = utteranceMeans(gold);
  const p = utteranceMeans(pred);
  const out = {} as UtteranceMetrics;
  DIMS.forEach((dim, k) => {
    const column = (clips: readonly AffectFrames[]) => clips.map((v) => v.map((f) => f[k]!));
    const gk = g.map((u) => u[k]);
    const pk = p.map((u) => u[k]);
    out[dim] = { ccc: cccPerSequenceMean(column(gold), column(pred)), mse: mse(gk, pk), pearson: pearson(gk, pk) };
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
