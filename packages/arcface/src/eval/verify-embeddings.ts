/**
 * Face verification on pairs: insightface's protocol by default (arcface_torch eval/verification.py: squared L2
 * distance between normalised embeddings, 10-fold accuracy over the grid arange(0, 4, 0.01) with strict <,
 * TAR at FAR = 1e-3 by calculate_val), or thresholds at the observed cosine similarities. The metrics are
 * `@facelab/metrics`' insightfaceAccuracy / insightfaceTarAtFar and verificationAccuracy / tarAtFar.
 */
import { insightfaceAccuracy, insightfaceTarAtFar, tarAtFar, verificationAccuracy } from '@facelab/metrics';

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

/**
 * Scores pairs of L2-normalised embeddings (rows 2i and 2i + 1 form pair i, as embed returns them) and
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
