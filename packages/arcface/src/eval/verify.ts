/**
 * The face-verification protocol of LFW / insightface: cosine similarity of pair embeddings, 10-fold accuracy
 * with the threshold chosen on the other nine folds (± population std), and TAR at FAR = 1e-3. The metrics
 * are core-tensor's `verificationAccuracy` and `tarAtFar`.
 */
import { dirname, join } from 'node:path';
import { decodeImage, rawToTensor, readPairs, resizeImage } from '@facelab/data';
import { tarAtFar, verificationAccuracy } from '@facelab/metrics';
import { tf } from '@facelab/core-tensor';
import { readVerificationBin } from '../data/verification-bin.js';
import { embed, type EmbedOptions } from './embed.js';

/** Result of a verification run. */
export interface VerificationResult {
  /** Number of pairs. */
  pairs: number;
  /** Mean accuracy over the held-out folds. */
  accuracy: number;
  /** Population std of the fold accuracies. */
  std: number;
  /** Each fold's threshold on the cosine similarity. */
  thresholds: number[];
  /** True accept rate at FAR ≤ 1e-3 (over all pairs). */
  tarAtFar1e3: number;
  /** Cosine similarity of each pair. */
  scores: number[];
}

/** Options of the verify functions. */
export interface VerifyOptions extends EmbedOptions {
  /** Folds of the protocol (default 10). */
  folds?: number;
  /** Resize images whose size differs from the model input instead of failing (default false). */
  resize?: boolean;
}

/** Scores pairs from embeddings (rows 2i and 2i + 1 form pair i) and runs the protocol. */
export function verifyEmbeddings(embeddings: Float32Array[], issame: readonly boolean[], folds = 10): VerificationResult {
  if (embeddings.length !== 2 * issame.length) {
    throw new Error(`verifyEmbeddings: ${embeddings.length} embeddings for ${issame.length} pairs (need 2 per pair)`);
  }
  const scores = issame.map((_, i) => {
    const a = embeddings[2 * i]!;
    const b = embeddings[2 * i + 1]!;
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k]! * b[k]!;
    if (!Number.isFinite(dot)) throw new Error(`verifyEmbeddings: pair ${i} has a non-finite score (NaN in features)`);
    return dot;
  });
  const acc = verificationAccuracy(scores, issame, { folds, higherIsSame: true });
  return {
    pairs: issame.length,
    accuracy: acc.accuracy,
    std: acc.std,
    thresholds: acc.thresholds,
    tarAtFar1e3: tarAtFar(scores, issame, 1e-3).tar,
    scores,
  };
}

/** Decodes encoded images into a [N, size, size, 3] batch, checking (or fixing, with `resize`) their size. */
async function decodeBatch(sources: (string | Uint8Array)[], size: number, resize: boolean, names: string[]): Promise<tf.Tensor4D> {
  const tensors: tf.Tensor3D[] = [];
  try {
    for (let i = 0; i < sources.length; i++) {
      const raw = await decodeImage(sources[i]!, 3);
      let t = tf.tidy(() => rawToTensor(raw, 'uint8').toFloat() as tf.Tensor3D);
      if (raw.width !== size || raw.height !== size) {
        if (!resize) {
          t.dispose();
          throw new Error(`${names[i]}: image is ${raw.width}×${raw.height}, the model expects ${size}×${size} (pass resize: true to resize)`);
        }
        const r = resizeImage(t, { width: size, height: size });
        t.dispose();
        t = r;
      }
      tensors.push(t);
    }
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
  for (let s = 0; s < sources.length; s += chunk) {
    const batch = await decodeBatch(sources.slice(s, s + chunk), size, options.resize ?? false, names.slice(s, s + chunk));
    try {
      out.push(...embed(model, batch, options));
    } finally {
      batch.dispose();
    }
  }
  return out;
}

/** Verification on an insightface `.bin` file (lfw.bin, cfp_fp.bin, agedb_30.bin, ...). */
export async function verifyBin(model: tf.LayersModel, binPath: string, options: VerifyOptions = {}): Promise<VerificationResult> {
  const bin = await readVerificationBin(binPath);
  const names = bin.images.map((_, i) => `${binPath} image ${i}`);
  const embeddings = await embedSources(model, bin.images, names, options);
  return verifyEmbeddings(embeddings, bin.issame, options.folds ?? 10);
}

/** Verification on an LFW-style `pairs.txt` and image folder (`name/name_0001.jpg`; default: the pairs' folder). */
export async function verifyLfw(
  model: tf.LayersModel,
  pairsPath: string,
  imageDir = dirname(pairsPath),
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const { pairs } = await readPairs(pairsPath);
  const paths = pairs.flatMap((p) => [join(imageDir, p.a.path), join(imageDir, p.b.path)]);
  const embeddings = await embedSources(model, paths, paths, options);
  return verifyEmbeddings(embeddings, pairs.map((p) => p.same), options.folds ?? 10);
}
