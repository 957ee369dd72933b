/**
 * The transfer half of the demo: synthetic emotion faces in two rendering styles, B ('studio', the source the
 * network learns well) and A ('wild', the small target set). Train on B, then fine-tune on A alone
 * (cross-entropy) or with the extended loss anchored on B's class centres: the reading (the head applied
 * to the fixed centres) and the medoid reading (the current network on each centre's nearest B face). Reports
 * accuracy on held-out A and B for each, with where B started.
 */
import { SYNTH_EMOTIONS } from '@facelab/synth';
import { synthEmotionSet, type FaceSet } from './data/synthetic.js';
import { evaluateCategories } from './eval/affect.js';
import type { ExtendedAnchor } from './train/extended-loss.js';
import { classifyFaces, createEmotionClassifier, emotionMedoids, fitEmotions, type EmotionClassifier } from './train/transfer.js';

const SIZE = 48;
const K = Number(process.env.AFFWILD_DEMO_K ?? 30);
// λ per anchor shown, picked on validation faces (not the test sets) by the sweeps in the README.
const LAMBDA: Partial<Record<ExtendedAnchor, number>> = { ce: 1, medoids: Number(process.env.AFFWILD_DEMO_LAMBDA ?? 10) };
// Medoid faces drawn per step (of 7·K): the anchor's cost stays near one extra batch.
const MEDOIDS_PER_STEP = 35;
const B_STEPS = Number(process.env.AFFWILD_DEMO_B_STEPS ?? 1200);
const A_STEPS = Number(process.env.AFFWILD_DEMO_A_STEPS ?? 100);

/** Faces centred to [−0.5, 0.5) like the clip demo's; pose jitter 0.2 so B is learnt well (~88 %). */
function faces(seed0: number, count: number, style: 'studio' | 'wild'): FaceSet {
  const set = synthEmotionSet(seed0, count, SIZE, style, { poseJitter: 0.2, clutter: false });
  set.images.forEach((v, i) => (set.images[i] = v / 2));
  return set;
}

const accuracyOn = (c: EmotionClassifier, set: FaceSet) =>
  evaluateCategories(Array.from(set.labels), classifyFaces(c, set).classes, SYNTH_EMOTIONS.length).accuracy;

/** Runs the transfer experiment → demo rows. */
export async function transferDemo(): Promise<{ item: string; value: string }[]> {
  const t0 = Date.now();
  const trainB = faces(1, 1400, 'studio');
  const testB = faces(500_000, 350, 'studio');
  const trainA = faces(2_000_000, 140, 'wild');
  const testA = faces(2_500_000, 350, 'wild');
  const source = createEmotionClassifier(SIZE, SYNTH_EMOTIONS.length);
  await fitEmotions(source, trainB, { steps: B_STEPS, learningRate: 2e-3, seed: 5 });
  const centres = emotionMedoids(source, trainB, K, 11);
  const rows: { item: string; value: string }[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  rows.push({ item: 'transfer: trained on B (studio), accuracy A / B', value: `${pct(accuracyOn(source, testA))} / ${pct(accuracyOn(source, testB))}` });
  // Same start, same seed (so the same batches) for every fine-tuning run.
  const labels = { ce: 'head on the fixed centres (CE)', medoids: `network on the centres’ medoid faces (CE, ${MEDOIDS_PER_STEP} per step)` };
  for (const anchor of [undefined, 'ce', 'medoids'] as const) {
    const c = createEmotionClassifier(SIZE, SYNTH_EMOTIONS.length);
    c.model.setWeights(source.model.getWeights());
    const options = anchor && { centres, faces: trainB, anchor, lambda: LAMBDA[anchor], medoidsPerStep: MEDOIDS_PER_STEP };
    await fitEmotions(c, trainA, { steps: A_STEPS, learningRate: 1e-3, seed: 6, anchor: options });
    const label = anchor ? `extended loss, ${labels[anchor]}, K = ${K}, λ = ${LAMBDA[anchor]}` : 'A alone (cross-entropy)';
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
