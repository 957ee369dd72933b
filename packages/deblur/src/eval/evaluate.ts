/**
 * evaluateDeblur: the paper's measures of a deblurred face against its sharp frame, for the blurred input and for
 * each network given — PSNR and SSIM (@facelab/metrics, range 1, per image then averaged), identity similarity
 * (cosine of an evaluator's L2-normalised embeddings, deblurred vs sharp) and, with identity labels, verification
 * accuracy on same/different-identity pairs (@facelab/arcface's 10-fold protocol) and, with a landmark measure, the
 * 68-point landmark error normalised by the inter-ocular distance (landmarks.ts).
 */
import { verifyEmbeddings } from '@facelab/arcface';
import { tf } from '@facelab/core-tensor';
import { psnr, ssim } from '@facelab/metrics';
import { Rng } from '@facelab/runtime';
import type { PairSet } from '../data/pair-folders.js';
import { predictDeblur, type DeblurNet } from '../model/deblur-net.js';
import { identityEmbedding } from '../model/identity-net.js';
import { meanLandmarkError, type LandmarkMeasure } from './landmarks.js';

/** One method's scores (means over the pairs). */
export interface DeblurScores {
  psnr: number;
  ssim: number;
  /** Mean cosine of evaluator embeddings, output vs sharp (with an evaluator). */
  identityCosine?: number;
  /** Verification accuracy on same/different pairs, output vs another sharp face (with an evaluator and labels). */
  verification?: number;
  /** Mean landmark error (NME, inter-ocular) of the located landmarks vs the sharp frame's truth (with a landmark measure). */
  landmarkError?: number;
  /** Images where the locator found no landmarks, left out of `landmarkError` (with a landmark measure). */
  landmarkFailures?: number;
}

/** Options of {@link evaluateDeblur}. */
export interface EvaluateDeblurOptions {
  /** Test pairs. */
  data: PairSet;
  /** Networks to score, by name (e.g. `{ 'deblur-only': a, 'two-stream': b }`). */
  nets: Record<string, DeblurNet>;
  /** The identity evaluator (an embedding net on [0, 255] pixels, e.g. an arcface iresnet); not the training one. */
  evaluator?: tf.LayersModel;
  /** Identity label of each pair (enables verification accuracy). */
  labels?: readonly number[];
  /** Landmark error after deblurring: a 68-point locator and each pair's ground truth. */
  landmarks?: LandmarkMeasure;
  /** Images per forward pass (default 32). */
  batchSize?: number;
  /** Seed of the verification pairs (default 0). */
  seed?: number;
}

/** What {@link evaluateDeblur} returns: `blurred` (the input itself) and one entry per network. */
export type DeblurEvaluation = Record<string, DeblurScores>;

const view = (data: Float32Array, s: number) => ({ shape: [s, s, 3], dataSync: () => data });

/** Runs a network over images (HWC float32 [0, 1]) in batches; returns its outputs as host arrays. */
export function deblurImages(net: DeblurNet, images: readonly Float32Array[], batchSize = 32): Float32Array[] {
  const s = net.architecture.imageSize;
  const len = s * s * 3;
  const out: Float32Array[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const buf = new Float32Array(chunk.length * len);
    chunk.forEach((im, i) => {
      if (im.length !== len) throw new Error(`deblurImages: image ${start + i} has ${im.length} values, the network takes ${s}×${s}×3`);
      buf.set(im, i * len);
    });
    const x = tf.tensor4d(buf, [chunk.length, s, s, 3]);
    const y = predictDeblur(net, x);
    x.dispose();
    const values = y.dataSync() as Float32Array;
    y.dispose();
    for (let i = 0; i < chunk.length; i++) out.push(values.slice(i * len, (i + 1) * len));
  }
  return out;
}

/** L2-normalised evaluator embeddings of images (host arrays). */
export function embedImages(evaluator: tf.LayersModel, images: readonly Float32Array[], size: number, batchSize = 32): Float32Array[] {
  const len = size * size * 3;
  const out: Float32Array[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const buf = new Float32Array(chunk.length * len);
    chunk.forEach((im, i) => buf.set(im, i * len));
    const e = tf.tidy(() => identityEmbedding(evaluator, tf.tensor4d(buf, [chunk.length, size, size, 3])));
    const values = e.dataSync() as Float32Array;
    const d = e.shape[1];
    e.dispose();
    for (let i = 0; i < chunk.length; i++) out.push(values.slice(i * d, (i + 1) * d));
  }
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/**
 * Verification pairs: for each image i with another image of its identity, (output i, sharp j) with j a random
 * other image of the same identity, and (output i, sharp k) with k of another identity; accuracy by the
 * insightface protocol (10 folds, or fewer for few pairs).
 */
function verification(outEmb: Float32Array[], sharpEmb: Float32Array[], labels: readonly number[], seed: number): number | undefined {
  const rng = new Rng(seed);
  const embeddings: Float32Array[] = [];
  const issame: boolean[] = [];
  labels.forEach((l, i) => {
    const same = labels.map((m, j) => (m === l && j !== i ? j : -1)).filter((j) => j >= 0);
    const other = labels.map((m, j) => (m !== l ? j : -1)).filter((j) => j >= 0);
    if (same.length === 0 || other.length === 0) return;
    embeddings.push(outEmb[i]!, sharpEmb[same[rng.int(same.length)]!]!);
    issame.push(true);
    embeddings.push(outEmb[i]!, sharpEmb[other[rng.int(other.length)]!]!);
    issame.push(false);
  });
  if (issame.length < 4) return undefined;
  return verifyEmbeddings(embeddings, issame, { folds: Math.min(10, Math.floor(issame.length / 2)) }).accuracy;
}

/** Scores the blurred input and each network against the sharp frames; see {@link EvaluateDeblurOptions}. */
export function evaluateDeblur(options: EvaluateDeblurOptions): DeblurEvaluation {
  const { data, evaluator, labels, landmarks, batchSize = 32, seed = 0 } = options;
  const s = data.size;
  if (labels && labels.length !== data.blurred.length) throw new Error(`evaluateDeblur: ${labels.length} labels for ${data.blurred.length} pairs`);
  if (landmarks) {
    if (landmarks.truth.length !== data.blurred.length) throw new Error(`evaluateDeblur: ${landmarks.truth.length} landmark ground truths for ${data.blurred.length} pairs`);
    const bad = landmarks.truth.findIndex((t) => t.length !== 136);
    if (bad >= 0) throw new Error(`evaluateDeblur: landmark ground truth ${bad} has ${landmarks.truth[bad]!.length} values, not 68 points (136)`);
  }
  for (const [name, net] of Object.entries(options.nets)) {
    if (net.architecture.imageSize !== s) throw new Error(`evaluateDeblur: network '${name}' takes ${net.architecture.imageSize}² images, the pairs are ${s}²`);
  }
  const sharpEmb = evaluator ? embedImages(evaluator, data.sharp, s, batchSize) : undefined;
  const score = (outputs: readonly Float32Array[]): DeblurScores => {
    let p = 0;
    let q = 0;
    outputs.forEach((o, i) => {
      p += psnr(view(o, s), view(data.sharp[i]!, s), { dataRange: 1 });
      q += ssim(view(o, s), view(data.sharp[i]!, s), { dataRange: 1 });
    });
    const scores: DeblurScores = { psnr: p / outputs.length, ssim: q / outputs.length };
    if (evaluator && sharpEmb) {
      const outEmb = embedImages(evaluator, outputs, s, batchSize);
      scores.identityCosine = outEmb.reduce((a, e, i) => a + dot(e, sharpEmb[i]!), 0) / outEmb.length;
      if (labels) scores.verification = verification(outEmb, sharpEmb, labels, seed);
    }
    if (landmarks) {
      const located = landmarks.locate(outputs, s);
      if (located.length !== outputs.length) throw new Error(`evaluateDeblur: the landmark locator returned ${located.length} results for ${outputs.length} images`);
      const { error, failures } = meanLandmarkError(located, landmarks.truth);
      scores.landmarkError = error;
      scores.landmarkFailures = failures;
    }
    return scores;
  };
  const result: DeblurEvaluation = { blurred: score(data.blurred) };
  for (const [name, net] of Object.entries(options.nets)) result[name] = score(deblurImages(net, data.blurred, batchSize));
  return result;
}
