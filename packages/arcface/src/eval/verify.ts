/**
 * Face verification on pairs: insightface's protocol by default (arcface_torch eval/verification.py: squared L2
 * distance between normalised embeddings, 10-fold accuracy over the grid arange(0, 4, 0.01) with strict <,
 * TAR at FAR = 1e-3 by calculate_val), or thresholds at the observed cosine similarities. The metrics are
 * `@facelab/metrics`' insightfaceAccuracy / insightfaceTarAtFar and verificationAccuracy / tarAtFar.
 */
import { dirname } from 'node:path';
import { readPairs } from '@facelab/data';
import { insightfaceAccuracy, insightfaceTarAtFar, tarAtFar, verificationAccuracy } from '@facelab/metrics';
import { createInferenceSession, tf } from '@facelab/core-tensor';
import { resolveInside } from '@facelab/runtime';
import { decodeFace } from '../data/decode-face.js';
import { readVerificationBin } from '../data/verification-bin.js';
import { embed, type EmbedOptions } from './embed.js';

/**
 * Which 10-fold protocol: `'insightface'` (what papers report: thresholds on the squared distance from a fixed
 * grid, same iff distance < t; TAR@FAR per fold with an interpolated threshold) or `'observed-scores'`
 * (thresholds at the observed cosine similarities, same iff similarity ≥ t; TAR@FAR over all pairs).
 */
export type VerificationProtocol = 'insightface' | 'observed-scores';

/** Result of a verification run. */
export interface VerificationResult {
  /** Number of pairs. */
  pairs: number;
  /** The protocol that produced the numbers. */
  protocol: VerificationProtocol;
  /** Mean accuracy over the held-out folds. */
  accuracy: number;
  /** Population std of the fold accuracies. */
  std: number;
  /** Each held-out fold's accuracy (folds are contiguous runs of pairs, so equal across runs on the same pairs). */
  foldAccuracies: number[];
  /** Each fold's threshold: on the squared distance (insightface) or on the cosine similarity (observed-scores). */
  thresholds: number[];
  /** True accept rate at FAR = 1e-3: the held-out folds' mean (insightface) or over all pairs (observed-scores). */
  tarAtFar1e3: number;
  /** Cosine similarity of each pair. */
  scores: number[];
  /** Squared L2 distance of each pair. */
  distances: number[];
}

/** Options of {@link verifyEmbeddings}. */
export interface VerificationProtocolOptions {
  /** Folds of the protocol (default 10). */
  folds?: number;
  /** The protocol (default 'insightface'). */
  protocol?: VerificationProtocol;
}

/** Options of the verify functions. */
export interface VerifyOptions extends EmbedOptions, VerificationProtocolOptions {
  /** Resize images whose size differs from the model input instead of failing (default false). */
  resize?: boolean;
}

/**
 * Scores pairs of L2-normalised embeddings (rows 2i and 2i + 1 form pair i, as {@link embed} returns them) and
 * runs the protocol. Distances are Σ(aₖ − bₖ)² in float64, as insightface's `evaluate` computes them.
 */
export function verifyEmbeddings(
  embeddings: Float32Array[],
  issame: readonly boolean[],
  options: VerificationProtocolOptions = {},
): VerificationResult {
  const { folds = 10, protocol = 'insightface' } = options;
  if (protocol !== 'insightface' && protocol !== 'observed-scores') {
    throw new Error(`verifyEmbeddings: protocol must be 'insightface' or 'observed-scores', got '${protocol}'`);
  }
  if (embeddings.length !== 2 * issame.length) {
    throw new Error(`verifyEmbeddings: ${embeddings.length} embeddings for ${issame.length} pairs (need 2 per pair)`);
  }
  embeddings.forEach((e, i) => {
    const norm = Math.hypot(...e);
    if (!Number.isFinite(norm)) throw new Error(`verifyEmbeddings: embedding ${i} (pair ${i >> 1}) is not finite (NaN in features)`);
    if (Math.abs(norm - 1) > 1e-3) throw new Error(`verifyEmbeddings: embedding ${i} has norm ${norm}: expected L2-normalised embeddings (as embed returns)`);
  });
  const scores: number[] = [];
  const distances: number[] = [];
  for (let i = 0; i < issame.length; i++) {
    const a = embeddings[2 * i]!;
    const b = embeddings[2 * i + 1]!;
    let dot = 0;
    let d2 = 0;
    for (let k = 0; k < a.length; k++) {
      dot += a[k]! * b[k]!;
      d2 += (a[k]! - b[k]!) ** 2;
    }
    scores.push(dot);
    distances.push(d2);
  }
  if (protocol === 'insightface') {
    const acc = insightfaceAccuracy(distances, issame, { folds });
    const val = insightfaceTarAtFar(distances, issame, 1e-3, { folds });
    return { pairs: issame.length, protocol, accuracy: acc.accuracy, std: acc.std, foldAccuracies: acc.foldAccuracies, thresholds: acc.thresholds, tarAtFar1e3: val.tar, scores, distances };
  }
  const acc = verificationAccuracy(scores, issame, { folds });
  const tar = tarAtFar(scores, issame, 1e-3).tar;
  return { pairs: issame.length, protocol, accuracy: acc.accuracy, std: acc.std, foldAccuracies: acc.foldAccuracies, thresholds: acc.thresholds, tarAtFar1e3: tar, scores, distances };
}

/** Decodes encoded images into a [N, size, size, 3] batch, checking (or fixing, with `resize`) their size. */
async function decodeBatch(sources: (string | Uint8Array)[], size: number, resize: boolean, names: string[]): Promise<tf.Tensor4D> {
  const tensors: tf.Tensor3D[] = [];
  try {
    for (let i = 0; i < sources.length; i++) tensors.push(await decodeFace(sources[i]!, size, resize, names[i]!));
    return tf.stack(tensors) as tf.Tensor4D;
  } finally {
    tf.dispose(tensors);
  }
}

/** Embeds a list of encoded images in chunks, so memory stays bounded for large test sets. */
async function embedSources(
  model: tf.LayersModel,
  sources: (string | Uint8Array)[],
  names: string[],
  options: VerifyOptions,
): Promise<Float32Array[]> {
  const size = model.inputs[0]!.shape[1]!;
  const chunk = 256;
  const out: Float32Array[] = [];
  // One ONNX session for every chunk (exporting the network per chunk would cost more than embedding it).
  const own = options.runtime === 'onnx' && options.session === undefined ? createInferenceSession(model) : undefined;
  const embedOptions = own === undefined ? options : { ...options, session: own };
  try {
    for (let s = 0; s < sources.length; s += chunk) {
      const batch = await decodeBatch(sources.slice(s, s + chunk), size, options.resize ?? false, names.slice(s, s + chunk));
      try {
        out.push(...embed(model, batch, embedOptions));
      } finally {
        batch.dispose();
      }
    }
  } finally {
    own?.dispose();
  }
  return out;
}

/** Verification on an insightface `.bin` file (lfw.bin, cfp_fp.bin, agedb_30.bin, ...). */
export async function verifyBin(model: tf.LayersModel, binPath: string, options: VerifyOptions = {}): Promise<VerificationResult> {
  const bin = await readVerificationBin(binPath);
  const names = bin.images.map((_, i) => `${binPath} image ${i}`);
  const embeddings = await embedSources(model, bin.images, names, options);
  return verifyEmbeddings(embeddings, bin.issame, options);
}

/** Verification on an LFW-style `pairs.txt` and image folder (`name/name_0001.jpg`; default: the pairs' folder). */
export async function verifyLfw(
  model: tf.LayersModel,
  pairsPath: string,
  imageDir = dirname(pairsPath),
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const { pairs } = await readPairs(pairsPath);
  const paths = pairs.flatMap((p) => [resolveInside(imageDir, p.a.path), resolveInside(imageDir, p.b.path)]);
  const embeddings = await embedSources(model, paths, paths, options);
  return verifyEmbeddings(embeddings, pairs.map((p) => p.same), options);
}
