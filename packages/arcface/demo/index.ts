/**
 * `npm start` demo: a small IR-ResNet trained on synthetic identities with plain (normalised) softmax, CosFace
 * and ArcFace under the same budget, then verified on pairs of identities it never saw. Writes a PNG of the
 * same / different-pair similarity distributions.
 */
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { savePlot, type LineSeries } from '@facelab/plot';
import { synthFace } from '@facelab/synth';
import {
  embed,
  iresnet,
  IRESNET_SMALL,
  tensorFaceSource,
  trainArcFace,
  verifyEmbeddings,
  type MarginOptions,
  type VerificationResult,
} from '@facelab/arcface';

/** Demo configuration: the quick run of `npm start` (about 55 s of CPU time with one onnxruntime thread). */
export const DEMO_CONFIG = {
  size: 32,
  /** A narrower variant of IRESNET_SMALL: the stem's width dominates the cost of a wasm training step. */
  widths: [8, 16, 32, 64, 96],
  trainIdentities: 100,
  imagesPerIdentity: 16,
  testIdentities: 60,
  testImagesPerIdentity: 6,
  pairs: 600,
  steps: 100,
  batchSize: 24,
  lr: 0.1,
  s: 32,
};

/** The full-length configuration (`demo({ outDir, full: true })`): twice the steps, batches of 32. */
export const DEMO_FULL_CONFIG: typeof DEMO_CONFIG = { ...DEMO_CONFIG, steps: 200, batchSize: 32 };

const METHODS: { name: string; short: string; margin: MarginOptions }[] = [
  { name: 'softmax', short: 'softmax', margin: { m1: 1, m2: 0, m3: 0 } },
  { name: 'CosFace (m3 0.35)', short: 'CosFace', margin: { m1: 1, m2: 0, m3: 0.35 } },
  { name: 'ArcFace (m2 0.5)', short: 'ArcFace', margin: { m1: 1, m2: 0.5, m3: 0 } },
];

/** Renders `perId` `size`-px faces of each identity in [first, first + count) with pose, lighting and noise variation. */
function renderIdentities(size: number, first: number, count: number, perId: number, seed: number): { images: tf.Tensor4D; labels: number[] } {
  const data = new Float32Array(count * perId * size * size * 3);
  const labels: number[] = [];
  let n = 0;
  for (let id = 0; id < count; id++) {
    for (let k = 0; k < perId; k++, n++) {
      const face = synthFace(seed + n * 7919, { size, identity: first + id, identities: 100000, poseJitter: 0.6, clutter: true });
      for (let i = 0; i < face.image.length; i++) data[n * face.image.length + i] = face.image[i]!;
      labels.push(id);
    }
  }
  return { images: tf.tensor4d(data, [count * perId, size, size, 3]), labels };
}

/** Same pairs (two images of one identity) alternating with different pairs, drawn with a seeded Rng. */
function makePairs(labels: number[], count: number, seed: number): { a: number[]; b: number[]; issame: boolean[] } {
  const rng = new Rng(seed);
  const byId = new Map<number, number[]>();
  labels.forEach((l, i) => byId.set(l, [...(byId.get(l) ?? []), i]));
  const ids = [...byId.keys()];
  const out = { a: [] as number[], b: [] as number[], issame: [] as boolean[] };
  for (let p = 0; p < count; p++) {
    const same = p % 2 === 0;
    const id1 = ids[rng.int(ids.length)]!;
    let id2 = id1;
    while (!same && id2 === id1) id2 = ids[rng.int(ids.length)]!;
    const l1 = byId.get(id1)!;
    const l2 = byId.get(id2)!;
    const i = l1[rng.int(l1.length)]!;
    let j = l2[rng.int(l2.length)]!;
    while (same && j === i) j = l2[rng.int(l2.length)]!;
    out.a.push(i);
    out.b.push(j);
    out.issame.push(same);
  }
  return out;
}

/** Histogram of values in [−1, 1] as a density line (bins of 0.05). */
function histogram(values: number[], name: string): LineSeries {
  const bins = 40;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v + 1) / 2) * bins)))]!++;
  return { name, x: counts.map((_, i) => -1 + (2 * (i + 0.5)) / bins), y: counts.map((c) => c / values.length / (2 / bins)) };
}

/** Runs the demo (quick, or `full`), writing `arcface-similarities.png` into `outDir`. */
export async function demo({ outDir, full = false }: { outDir: string; full?: boolean }): Promise<{ title: string; rows: { item: string; value: string }[]; artifacts: string[] }> {
  const backend = await initBackend();
  const c = full ? DEMO_FULL_CONFIG : DEMO_CONFIG;
  const train = renderIdentities(c.size, 0, c.trainIdentities, c.imagesPerIdentity, 1);
  const test = renderIdentities(c.size, c.trainIdentities, c.testIdentities, c.testImagesPerIdentity, 2);
  const pairs = makePairs(test.labels, c.pairs, 3);
  const data = tensorFaceSource(train.images, train.labels);
  const rows: { item: string; value: string }[] = [];
  const series: LineSeries[] = [];
  const results: Record<string, VerificationResult> = {};
  for (const method of METHODS) {
    const backbone = iresnet({ ...IRESNET_SMALL, widths: c.widths, inputSize: c.size, seed: 1 });
    const started = Date.now();
    const { net, result } = await trainArcFace({
      backbone,
      data,
      margin: { s: c.s, ...method.margin },
      steps: c.steps,
      batchSize: c.batchSize,
      lr: c.lr,
      warmupSteps: Math.round(c.steps / 10),
      seed: 1,
      progress: { label: method.name },
    });
    const seconds = (Date.now() - started) / 1000;
    const emb = embed(backbone, test.images, { flip: true });
    const r = verifyEmbeddings(pairs.a.flatMap((a, i) => [emb[a]!, emb[pairs.b[i]!]!]), pairs.issame);
    results[method.name] = r;
    const lastLoss = result.records[result.records.length - 1]!.loss;
    rows.push({
      item: `${method.name}: unseen-identity accuracy`,
      value: `${(100 * r.accuracy).toFixed(1)} ± ${(100 * r.std).toFixed(1)} % (TAR@FAR=1e-3 ${(100 * r.tarAtFar1e3).toFixed(1)} %, loss ${lastLoss.toFixed(2)}, ${seconds.toFixed(0)} s)`,
    });
    series.push(
      histogram(r.scores.filter((_, i) => pairs.issame[i]), `${method.short} same`),
      histogram(r.scores.filter((_, i) => !pairs.issame[i]), `${method.short} different`),
    );
    net.dispose();
  }
  tf.dispose([train.images, test.images]);
  const png = join(outDir, 'arcface-similarities.png');
  await savePlot(png, series, {
    title: `Cosine similarity of unseen-identity pairs (${c.pairs} pairs)`,
    xLabel: 'cosine similarity',
    yLabel: 'density',
    width: 560,
  });
  // Every method is scored on the same pairs and folds, so the per-fold differences are paired.
  const soft = results[METHODS[0]!.name]!.foldAccuracies;
  const diff = results[METHODS[2]!.name]!.foldAccuracies.map((a, i) => 100 * (a - soft[i]!));
  const mean = diff.reduce((a, b) => a + b, 0) / diff.length;
  const sd = Math.sqrt(diff.reduce((a, d) => a + (d - mean) ** 2, 0) / (diff.length - 1));
  rows.push({
    item: `ArcFace − softmax, unseen-identity accuracy (mean ± sd over the ${diff.length} folds)`,
    value: `${mean >= 0 ? '+' : ''}${mean.toFixed(1)} ± ${sd.toFixed(1)} points (standard error ${(sd / Math.sqrt(diff.length)).toFixed(1)})`,
  });
  rows.push({
    item: 'setup',
    value: `${c.trainIdentities} train ids × ${c.imagesPerIdentity}, ${c.testIdentities} unseen ids, ${c.size}px, small iresnet, ${c.steps} steps × ${c.batchSize}, s ${c.s}, ${backend}`,
  });
  return { title: 'ArcFace margins on synthetic identities', rows, artifacts: [png] };
}
