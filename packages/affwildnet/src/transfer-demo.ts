/**
 * The transfer half of the demo: synthetic emotion faces in two rendering styles, B ('wild', the source) and
 * A ('studio', the target). Train on B, then fine-tune on a small A alone (cross-entropy) or with the extended
 * loss anchored on B's class centres, and report accuracy on held-out A and B for both.
 */
import { SYNTH_EMOTIONS } from '@facelab/core-tensor';
import { synthEmotionSet, type FaceSet } from './data/synthetic.js';
import { evaluateCategories } from './eval/affect.js';
import { classifyFaces, createEmotionClassifier, emotionCentres, fitEmotions, type EmotionClassifier } from './train/transfer.js';

const SIZE = 48;
const K = 5;
const LAMBDA = Number(process.env.AFFWILD_DEMO_LAMBDA ?? 1);
const B_STEPS = Number(process.env.AFFWILD_DEMO_B_STEPS ?? 800);
const A_STEPS = Number(process.env.AFFWILD_DEMO_A_STEPS ?? 100);

/** Faces centred to [−0.5, 0.5) like the clip demo's. */
function faces(seed0: number, count: number, style: 'studio' | 'wild'): FaceSet {
  const set = synthEmotionSet(seed0, count, SIZE, style, { poseJitter: 0.5, clutter: false });
  set.images.forEach((v, i) => (set.images[i] = v / 2));
  return set;
}

const accuracyOn = (c: EmotionClassifier, set: FaceSet) =>
  evaluateCategories(Array.from(set.labels), classifyFaces(c, set).classes, SYNTH_EMOTIONS.length).accuracy;

/** Runs the transfer experiment → demo rows. */
export async function transferDemo(): Promise<{ item: string; value: string }[]> {
  const t0 = Date.now();
  const trainB = faces(1, 1400, 'wild');
  const testB = faces(500_000, 350, 'wild');
  const trainA = faces(2_000_000, 140, 'studio');
  const testA = faces(2_500_000, 350, 'studio');
  const source = createEmotionClassifier(SIZE, SYNTH_EMOTIONS.length);
  await fitEmotions(source, trainB, { steps: B_STEPS, learningRate: 2e-3, seed: 5 });
  const beforeA = accuracyOn(source, testA);
  const beforeB = accuracyOn(source, testB);
  const centres = emotionCentres(source, trainB, K, 11);
  const rows: { item: string; value: string }[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  rows.push({ item: 'transfer: trained on B (wild), accuracy A / B', value: `${pct(beforeA)} / ${pct(beforeB)}` });
  for (const extended of [false, true]) {
    const c = createEmotionClassifier(SIZE, SYNTH_EMOTIONS.length);
    c.model.setWeights(source.model.getWeights());
    const anchor = extended ? { centres, lambda: LAMBDA, anchor: 'ce' as const } : undefined;
    await fitEmotions(c, trainA, { steps: A_STEPS, learningRate: 1e-3, seed: 6, anchor });
    const label = extended ? `extended loss (K = ${K}, λ = ${LAMBDA}, CE anchor)` : 'A alone (cross-entropy)';
    rows.push({ item: `transfer: fine-tuned on A (studio), ${label}, accuracy A / B`, value: `${pct(accuracyOn(c, testA))} / ${pct(accuracyOn(c, testB))}` });
    c.model.dispose();
  }
  source.model.dispose();
  rows.push({
    item: 'transfer: faces (B train / A train / tests), time',
    value: `${trainB.count} / ${trainA.count} / ${testA.count} + ${testB.count}, ${((Date.now() - t0) / 1000).toFixed(0)} s (chance ${pct(1 / SYNTH_EMOTIONS.length)})`,
  });
  return rows;
}
