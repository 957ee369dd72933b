/**
 * Face verification on files: an insightface `.bin` set or LFW's pairs.txt with its image folder, embedded and
 * scored by verifyEmbeddings (verify-embeddings.ts, which holds the protocol).
 */
import { dirname } from 'node:path';
import { readPairs } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import { resolveInside } from '@facelab/runtime';
import { decodeFace } from '../data/decode-face.js';
import { readVerificationBin } from '../data/verification-bin.js';
import { embed, type EmbedOptions } from './embed.js';
import { verifyEmbeddings, type VerificationProtocolOptions, type VerificationResult } from './verify-embeddings.js';

/** Options of the verify functions. */
export interface VerifyOptions extends EmbedOptions, VerificationProtocolOptions {
  /** Resize images whose size differs from the model input instead of failing (default false). */
  resize?: boolean;
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
