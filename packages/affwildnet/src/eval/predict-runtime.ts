/**
 * Prediction on a chosen runtime (Node): tfjs, or the network exported to ONNX and run whole in onnxruntime-node.
 * These shadow eval/predict.ts's tfjs-only functions of the same names in the Node entry; the browser entry keeps those.
 */
import { runtimePredictor, type RuntimePredictorOptions, type tf } from '@facelab/core-tensor';
import type { ClipSet } from '../data/sets.js';
import { utteranceMeans } from './affect.js';
import { predictClips as predictClipsOn } from './predict.js';

/** Options of {@link predictClips} and {@link predictUtterances}: which runtime runs the network. */
export type PredictClipsOptions = Omit<RuntimePredictorOptions, 'label'>;

/** Predicts every clip of `set` in batches → per-clip [T][2] arrays (padded frames dropped), on tfjs or ONNX. */
export function predictClips(model: tf.LayersModel, set: ClipSet, batchSize = 8, options: PredictClipsOptions = {}): number[][][] {
  const predictor = runtimePredictor(model, { ...options, label: 'predictClips' });
  try {
    return predictClipsOn(predictor, set, batchSize);
  } finally {
    predictor.dispose();
  }
}

/** Utterance-level predictions (OMG-Emotion): the mean of each clip's frame predictions → [valence, arousal] per clip. */
export function predictUtterances(model: tf.LayersModel, set: ClipSet, batchSize = 8, options: PredictClipsOptions = {}): [number, number][] {
  return utteranceMeans(predictClips(model, set, batchSize, options));
}
