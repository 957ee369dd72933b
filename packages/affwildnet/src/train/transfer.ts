/**
 * The extended-loss transfer experiment (arXiv 1809.04359) on single faces: an emotion classifier on the small
 * AffWildNet trunk, trained on dataset B and then fine-tuned on dataset A with plain cross-entropy or with
 * the extended loss anchored on B's per-class representation centres or their medoids (see extended-loss.ts).
 */
import { checkPositiveInt, mixSeed, Rng } from '@facelab/runtime';
import { crossEntropyLoss, tf, train } from '@facelab/core-tensor';
import { toTensors } from '@facelab/data';
import type { FaceSet } from '../data/sets.js';
import { SMALL_BLOCKS, vggFrameFeatures } from '../model/frame-cnn.js';
import {
  classCentres,
  classMedoids,
  extendedLoss,
  type ExtendedLossOptions,
  type LabelledCentres,
  type LabelledMedoids,
} from './extended-loss.js';

/** An emotion classifier: [N, 1, S, S, 3] → [logits [N, C], last hidden layer [N, D]], and its top layer. */
export interface EmotionClassifier {
  model: tf.LayersModel;
  head: tf.layers.Layer;
}

/** Builds a classifier of `classes` emotions on the small AffWildNet trunk (seeded) for S×S faces. */
export function createEmotionClassifier(size: number, classes: number): EmotionClassifier {
  const face = tf.input({ shape: [1, size, size, 3], name: 'face' });
  const hidden = tf.layers.flatten({ name: 'hidden' }).apply(vggFrameFeatures(face, SMALL_BLOCKS, 64, 0).fc) as tf.SymbolicTensor;
  const head = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }), name: 'emotion_logits' });
  const logits = head.apply(hidden) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: face, outputs: [logits, hidden], name: 'emotion_classifier' }), head };
}

/** Faces `idx` of a set as a batch {x [b, 1, S, S, 3], y [b] float32} (through @facelab/data's toTensors). */
function faceBatch(set: FaceSet, idx: readonly number[]): { x: tf.Tensor5D; y: tf.Tensor1D } {
  const per = set.size * set.size * 3;
  const samples = idx.map((j) => ({ x: set.images.subarray(j * per, (j + 1) * per), y: set.labels[j]! }));
  return toTensors(samples, { shapes: { x: [1, set.size, set.size, 3] } }) as { x: tf.Tensor5D; y: tf.Tensor1D };
}

/** Options of {@link fitEmotions}. */
export interface FitEmotionsOptions {
  steps: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /**
   * B's centres: train with the extended loss instead of plain cross-entropy. The 'medoids' anchors need
   * `centres` with medoids ({@link emotionMedoids}) and `faces`, the B set the medoid indices point into.
   */
  anchor?: {
    centres: LabelledCentres | LabelledMedoids;
    faces?: FaceSet;
    /** 'medoids' anchors: medoids drawn (seeded, with replacement) per step; default all of them every step. */
    medoidsPerStep?: number;
  } & ExtendedLossOptions;
}

/** The medoid indices of a 'medoids' anchor, after checking they are there and point into `anchor.faces`. */
function checkedMedoids(anchor: NonNullable<FitEmotionsOptions['anchor']>): { medoids: number[]; faces: FaceSet } {
  const medoids = 'medoids' in anchor.centres ? anchor.centres.medoids : undefined;
  const faces = anchor.faces;
  if (!medoids || !faces) throw new Error(`fitEmotions: anchor '${anchor.anchor}' needs centres with medoids (emotionMedoids) and anchor.faces`);
  const bad = medoids.find((j) => !(Number.isInteger(j) && j >= 0 && j < faces.count));
  if (bad !== undefined) throw new Error(`fitEmotions: medoid index ${bad} is outside anchor.faces (${faces.count} faces)`);
  const perStep = anchor.medoidsPerStep;
  if (perStep !== undefined) checkPositiveInt(perStep, 'fitEmotions: medoidsPerStep');
  return { medoids, faces };
}

/** Trains `c` on `set` with Adam: cross-entropy, or the extended loss when `anchor` is given. */
export async function fitEmotions(c: EmotionClassifier, set: FaceSet, options: FitEmotionsOptions): Promise<void> {
  const batch = Math.min(options.batchSize ?? 32, set.count);
  const anchor = options.anchor;
  if (anchor?.anchor === 'representation') {
    const missing = [...new Set(set.labels)].filter((k) => !anchor.centres.labels.includes(k));
    if (missing.length > 0) throw new Error(`fitEmotions: the representation anchor has no centre of class(es) ${missing.join(', ')}`);
  }
  const onMedoids = anchor?.anchor === 'medoids' || anchor?.anchor === 'medoids-mse';
  const m = onMedoids ? checkedMedoids(anchor!) : undefined;
  // Medoids drawn from their own stream, so A's batches are the same as without the anchor.
  const medoidRng = new Rng(mixSeed(options.seed ?? 1, 1));
  const medoidPicks = (): number[] => {
    const n = anchor?.medoidsPerStep;
    const all = m!.medoids.map((_, j) => j);
    return n === undefined || n >= all.length ? all : Array.from({ length: n }, () => medoidRng.int(all.length));
  };
  const centres = anchor && !onMedoids ? tf.tensor2d(anchor.centres.centres) : undefined;
  const centreLabels = anchor && !onMedoids ? tf.tensor1d(anchor.centres.labels, 'float32') : undefined;
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  try {
    await train({
      model: c.model,
      optimizer,
      steps: options.steps,
      seed: options.seed ?? 1,
      batchAt: (_step, rng) => {
        const a = faceBatch(set, Array.from({ length: batch }, () => rng.int(set.count)));
        if (!m) return a;
        const picks = medoidPicks();
        const medoidX = faceBatch(m.faces, picks.map((j) => m.medoids[j]!));
        medoidX.y.dispose();
        return { ...a, medoidX: medoidX.x, medoidY: tf.tensor1d(picks.map((j) => anchor!.centres.labels[j]!), 'float32') };
      },
      loss: (b: { x: tf.Tensor5D; y: tf.Tensor1D; medoidX?: tf.Tensor5D; medoidY?: tf.Tensor1D }) => {
        if (b.medoidX) {
          // One pass over A's batch and the medoids (no batch-dependent layers, so the same as two passes).
          const [all] = c.model.apply(tf.concat([b.x, b.medoidX]), { training: true }) as tf.Tensor2D[];
          const [logits, medoidLogits] = tf.split(all!, [b.x.shape[0], b.medoidX.shape[0]]) as tf.Tensor2D[];
          return { loss: extendedLoss(b.y, logits!, { centreLabels: b.medoidY!, centreLogits: medoidLogits! }, anchor) };
        }
        const [logits, hidden] = c.model.apply(b.x, { training: true }) as tf.Tensor2D[];
        if (!anchor) return { loss: crossEntropyLoss(b.y, logits!) };
        const inputs =
          anchor.anchor === 'representation'
            ? { centreLabels: centreLabels!, centres: centres!, hiddenA: hidden! }
            : { centreLabels: centreLabels!, centreLogits: c.head.apply(centres!) as tf.Tensor2D };
        return { loss: extendedLoss(b.y, logits!, inputs, anchor) };
      },
      progress: false,
    });
  } finally {
    optimizer.dispose();
    centres?.dispose();
    centreLabels?.dispose();
  }
}

/** Predicted classes and last-hidden-layer representations of every face of `set`. */
export function classifyFaces(c: EmotionClassifier, set: FaceSet, batchSize = 64): { classes: number[]; features: number[][] } {
  const classes: number[] = [];
  const features: number[][] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const b = faceBatch(set, Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i));
    const [cls, feat] = tf.tidy(() => {
      const [logits, hidden] = c.model.predict(b.x) as tf.Tensor[];
      return [tf.argMax(logits!, -1), hidden!];
    });
    classes.push(...(cls!.arraySync() as number[]));
    features.push(...(feat!.arraySync() as number[][]));
    tf.dispose([b.x, b.y, cls!, feat!]);
  }
  return { classes, features };
}

/** B's per-class representation centres (k-means, `k` per class) under classifier `c`. */
export function emotionCentres(c: EmotionClassifier, set: FaceSet, k: number, seed = 1): LabelledCentres {
  return classCentres(classifyFaces(c, set).features, Array.from(set.labels), k, seed);
}

/** {@link emotionCentres} plus each centre's medoid: the index of the face of `set` nearest the centre (see classMedoids). */
export function emotionMedoids(c: EmotionClassifier, set: FaceSet, k: number, seed = 1): LabelledMedoids {
  return classMedoids(classifyFaces(c, set).features, Array.from(set.labels), k, seed);
}
