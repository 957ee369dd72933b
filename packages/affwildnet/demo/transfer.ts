/**
 * The transfer half of the demo: synthetic emotion faces in two rendering styles, B ('studio', the source the
 * network learns well) and A ('wild', the small target set). Train on B, then fine-tune on A alone
 * (cross-entropy) or with the extended loss anchored on B's class centres: the reading (the head applied
 * to the fixed centres) and the medoid reading (the current network on each centre's nearest B face). Reports
 * accuracy on held-out A and B for each, with where B started.
 */
import { SYNTH_EMOTIONS } from '@facelab/synth';
import {
  classifyFaces,
  createEmotionClassifier,
  emotionMedoids,
  evaluateCategories,
  fitEmotions,
  type EmotionClassifier,
  type FaceSet,
} from '@facelab/affwildnet';
import { synthEmotionSet } from './synthetic.js';

/** The transfer experiment's configuration. */
export interface TransferDemoConfig {
  /** Face size. */
  size: number;
  /** Centres (medoids) per class. */
  k: number;
  /** λ of the extended loss per anchor shown. */
  lambda: { ce: number; medoids: number };
  /** Medoid faces drawn per step (of 7·K). */
  medoidsPerStep: number;
  /** Training steps on B, then fine-tuning steps on A. */
  bSteps: number;
  aSteps: number;
}

/**
 * The full-length configuration (`demo({ outDir, full: true })`): λ per anchor picked on validation faces (not
 * the test sets) by the sweeps in the README; 35 medoids per step keep the anchor's cost near one extra batch.
 */
export const TRANSFER_DEMO_FULL_CONFIG: TransferDemoConfig = { size: 48, k: 30, lambda: { ce: 1, medoids: 10 }, medoidsPerStep: 35, bSteps: 1200, aSteps: 100 };

/** The quick run of `npm start`: the same anchors, a quarter of the training on B and 60 fine-tuning steps on A. */
export const TRANSFER_DEMO_CONFIG: TransferDemoConfig = { ...TRANSFER_DEMO_FULL_CONFIG, bSteps: 300, aSteps: 60 };

/** Faces centred to [−0.5, 0.5) like the clip demo's; pose jitter 0.2 so B is learnt well (~88 %). */
function faces(seed0: number, count: number, size: number, style: 'studio' | 'wild'): FaceSet {
  const set = synthEmotionSet(seed0, count, size, style, { poseJitter: 0.2, clutter: false });
  set.images.forEach((v, i) => (set.images[i] = v / 2));
  return set;
}

const accuracyOn = (c: EmotionClassifier, set: FaceSet) =>
  evaluateCategories(Array.from(set.labels), classifyFaces(c, set).classes, SYNTH_EMOTIONS.length).accuracy;

/** Runs the transfer experiment → demo rows. */
export async function transferDemo(config: TransferDemoConfig): Promise<{ item: string; value: string }[]> {
  const { size, k, lambda, medoidsPerStep } = config;
  const t0 = Date.now();
  const trainB = faces(1, 1400, size, 'studio');
  const testB = faces(500_000, 350, size, 'studio');
  const trainA = faces(2_000_000, 140, size, 'wild');
  const testA = faces(2_500_000, 350, size, 'wild');
  const source = createEmotionClassifier(size, SYNTH_EMOTIONS.length);
  await fitEmotions(source, trainB, { steps: config.bSteps, learningRate: 2e-3, seed: 5 });
  const centres = emotionMedoids(source, trainB, k, 11);
  const rows: { item: string; value: string }[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  rows.push({ item: 'transfer: trained on B (studio), accuracy A / B', value: `${pct(accuracyOn(source, testA))} / ${pct(accuracyOn(source, testB))}` });
  // Same start, same seed (so the same batches) for every fine-tuning run.
  const labels = { ce: 'head on the fixed centres (CE)', medoids: `network on the centres’ medoid faces (CE, ${medoidsPerStep} per step)` };
  for (const anchor of [undefined, 'ce', 'medoids'] as const) {
    const c = createEmotionClassifier(size, SYNTH_EMOTIONS.length);
    c.model.setWeights(source.model.getWeights());
    const options = anchor && { centres, faces: trainB, anchor, lambda: lambda[anchor], medoidsPerStep };
    await fitEmotions(c, trainA, { steps: config.aSteps, learningRate: 1e-3, seed: 6, anchor: options });
    const label = anchor ? `extended loss, ${labels[anchor]}, K = ${k}, λ = ${lambda[anchor]}` : 'A alone (cross-entropy)';
    rows.push({ item: `transfer: fine-tuned on A (wild), ${label}, accuracy A / B`, value: `${pct(accuracyOn(c, testA))} / ${pct(accuracyOn(c, testB))}` });
    c.model.dispose();
  }
  source.model.dispose();
  rows.push({
    item: 'transfer: faces (B train / A train / tests), time',
    value: `${trainB.count} / ${trainA.count} / ${testA.count} + ${testB.count}, ${((Date.now() - t0) / 1000).toFixed(0)} s (chance ${pct(1 / SYNTH_EMOTIONS.length)})`,
  });
  return rows;
}
