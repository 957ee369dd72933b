/**
 * From photos to answers: detect the largest face (@facelab/face-detect), align it to ArcFace's 5-point template,
 * embed it (flip-sum, L2-normalised), and compare two photos by cosine similarity at a stated threshold.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { readImage } from '@facelab/data';
import type { DetectedFace, FaceDetector } from '@facelab/face-detect';
import { writeFileAtomic } from '@facelab/runtime';
import { alignFace } from '../data/align.js';
import { embed } from '../eval/embed.js';

/**
 * Default decision threshold on cosine similarity: 0.3, the middle of the best LFW thresholds insightface's
 * verification reports for its released IR-ResNets (squared distance 1.4, i.e. cosine 1 − 1.4 / 2). A model
 * of your own should get its threshold from `verify --bin` / `--pairs` on held-out pairs.
 */
export const DEFAULT_VERIFY_THRESHOLD = 0.3;

/** Options of {@link embedPhoto}, {@link verifyPhotos} and {@link embedFolder}. */
export interface PhotoEmbedOptions {
  /** Add the mirrored face's embedding (default true). */
  flip?: boolean;
}

/** One photo's embedded face. */
export interface PhotoEmbedding {
  /** The photo's path. */
  source: string;
  /** Faces found in the photo; the largest is embedded. */
  faces: number;
  /** The embedded face: box [x, y, w, h], detection score and its five points in the photo. */
  face: Pick<DetectedFace, 'box' | 'score' | 'fivePoints'>;
  /** Photo → crop similarity of the alignment ([[a, b, tx], [c, d, ty]]). */
  matrix: [[number, number, number], [number, number, number]];
  /** The L2-normalised embedding. */
  embedding: Float32Array;
}

/** Reads a photo as RGB, detects faces and returns the largest, or throws "no face found in <path>". */
export async function largestFaceIn(detector: FaceDetector, path: string): Promise<{ image: tf.Tensor3D; face: DetectedFace; faces: number }> {
  const image = await readImage(path, { channels: 3 });
  try {
    const faces = await detector.detect(image);
    if (faces.length === 0) throw new Error(`no face found in ${path}`);
    return { image, face: faces[0]!, faces: faces.length };
  } catch (err) {
    image.dispose();
    throw err;
  }
}

/** Detects the largest face in the photo at `path`, aligns it to the model's input size and embeds it. */
export async function embedPhoto(model: tf.LayersModel, detector: FaceDetector, path: string, options: PhotoEmbedOptions = {}): Promise<PhotoEmbedding> {
  const size = model.inputs[0]!.shape[1];
  if (typeof size !== 'number' || size !== model.inputs[0]!.shape[2]) {
    throw new Error(`embedPhoto: the model's input must be square [N, size, size, 3], got [${model.inputs[0]!.shape}]`);
  }
  const { image, face, faces } = await largestFaceIn(detector, path);
  let embedding: Float32Array;
  let matrix: PhotoEmbedding['matrix'];
  try {
    const float = tf.cast(image, 'float32') as tf.Tensor3D;
    const aligned = alignFace(float, face.fivePoints, size);
    float.dispose();
    matrix = aligned.matrix;
    const batch = tf.expandDims(aligned.image, 0) as tf.Tensor4D;
    aligned.image.dispose();
    try {
      embedding = embed(model, batch, { flip: options.flip ?? true })[0]!;
    } finally {
      batch.dispose();
    }
  } finally {
    image.dispose();
  }
  return { source: path, faces, face: { box: face.box, score: face.score, fivePoints: face.fivePoints }, matrix, embedding };
}

/** Cosine similarity of two L2-normalised embeddings. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosineSimilarity: embeddings have ${a.length} and ${b.length} values`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The answer of {@link verifyPhotos}. */
export interface PhotoVerification {
  /** Cosine similarity of the two faces' embeddings. */
  similarity: number;
  /** The threshold the decision used. */
  threshold: number;
  /** similarity ≥ threshold. */
  same: boolean;
  a: PhotoEmbedding;
  b: PhotoEmbedding;
}

/** Same person? The largest face of each photo, embedded and compared: `same` when cosine ≥ `threshold`. */
export async function verifyPhotos(
  model: tf.LayersModel,
  detector: FaceDetector,
  a: string,
  b: string,
  options: PhotoEmbedOptions & { threshold?: number } = {},
): Promise<PhotoVerification> {
  const threshold = options.threshold ?? DEFAULT_VERIFY_THRESHOLD;
  if (!(threshold >= -1 && threshold <= 1)) throw new Error(`verifyPhotos: threshold must be a cosine in [-1, 1], got ${threshold}`);
  const ea = await embedPhoto(model, detector, a, options);
  const eb = await embedPhoto(model, detector, b, options);
  const similarity = cosineSimilarity(ea.embedding, eb.embedding);
  return { similarity, threshold, same: similarity >= threshold, a: ea, b: eb };
}

/** Image file extensions {@link embedFolder} reads. */
export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff'];

/** The result of {@link embedFolder}: embedded photos and the ones skipped with why. */
export interface FolderEmbeddings {
  embeddings: PhotoEmbedding[];
  skipped: { source: string; reason: string }[];
}

/**
 * Embeds the largest face of every photo in `dir` (sorted by name, not recursive). Photos without a face or that
 * cannot be read are listed in `skipped`; `onPhoto(done, total)` reports progress.
 */
export async function embedFolder(
  model: tf.LayersModel,
  detector: FaceDetector,
  dir: string,
  options: PhotoEmbedOptions & { onPhoto?: (done: number, total: number) => void } = {},
): Promise<FolderEmbeddings> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => PHOTO_EXTENSIONS.includes(extname(n).toLowerCase())).sort();
  } catch (err) {
    throw new Error(`embedFolder: cannot list ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (names.length === 0) throw new Error(`embedFolder: no images (${PHOTO_EXTENSIONS.join(', ')}) in ${dir}`);
  const out: FolderEmbeddings = { embeddings: [], skipped: [] };
  for (const [i, name] of names.entries()) {
    const path = join(dir, name);
    try {
      out.embeddings.push(await embedPhoto(model, detector, path, options));
    } catch (err) {
      out.skipped.push({ source: path, reason: (err as Error).message.split('\n')[0]! });
    }
    options.onPhoto?.(i + 1, names.length);
  }
  return out;
}

/**
 * Writes embeddings as JSON (atomically): `{ format: 'facelab-embeddings/1', dim, items: [{ file, box, score,
 * fivePoints, embedding }], skipped }`, numbers as written by JSON.stringify.
 */
export async function writeEmbeddings(file: string, result: FolderEmbeddings): Promise<void> {
  const dim = result.embeddings[0]?.embedding.length ?? 0;
  const items = result.embeddings.map((e) => ({ file: e.source, box: e.face.box, score: e.face.score, fivePoints: e.face.fivePoints, embedding: Array.from(e.embedding) }));
  await writeFileAtomic(file, `${JSON.stringify({ format: 'facelab-embeddings/1', dim, items, skipped: result.skipped })}\n`);
}
