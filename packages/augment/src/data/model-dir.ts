/**
 * An augmentation model on disk: `augment.json` (kind, image shape, A and b) plus, for an autoencoder,
 * `encoder/` and `decoder/` (tfjs model directories), or, for PCA, `pca.bin` (float64 little-endian: mean,
 * basis, variances, spectrum). Weights are written first and `augment.json` last, each file atomically.
 */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemIO, loadModelDir, tf } from '@facelab/core-tensor';
import { writeFileAtomic } from '@facelab/runtime';
import { wrapAutoencoder } from '../model/autoencoder.js';
import { createLatentLinear } from '../model/latent-linear.js';
import { pcaAugment } from '../model/pca.js';
import type { AugmentModel, ImageShape } from '../model/types.js';

/** Name of the manifest inside a model directory. */
export const AUGMENT_MODEL_FILE = 'augment.json';
const FORMAT = 'facelab-augment';

interface Manifest {
  format: typeof FORMAT;
  version: 1;
  kind: 'autoencoder' | 'pca';
  imageShape: ImageShape;
  latentDim: number;
  bias: boolean;
  matrix: number[];
  offset: number[];
  /** PCA only: lengths of the arrays in pca.bin. */
  spectrumLength?: number;
}

/** Saves `model` into `dir` (created if needed). */
export async function saveAugmentModel(model: AugmentModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: Manifest = {
    format: FORMAT,
    version: 1,
    kind: model.kind,
    imageShape: model.imageShape,
    latentDim: model.latentDim,
    bias: model.dynamics.bias,
    matrix: Array.from(model.dynamics.matrix()),
    offset: Array.from(model.dynamics.offset()),
  };
  if (model.kind === 'autoencoder') {
    const ae = model as AugmentModel & { encoder: tf.LayersModel; decoder: tf.LayersModel };
    await ae.encoder.save(fileSystemIO(join(dir, 'encoder')));
    await ae.decoder.save(fileSystemIO(join(dir, 'decoder')));
  } else {
    const pca = model as AugmentModel & { mean: Float64Array; basis: Float64Array; variances: Float64Array; spectrum: Float64Array };
    const all = new Float64Array(pca.mean.length + pca.basis.length + pca.variances.length + pca.spectrum.length);
    let at = 0;
    for (const part of [pca.mean, pca.basis, pca.variances, pca.spectrum]) {
      all.set(part, at);
      at += part.length;
    }
    manifest.spectrumLength = pca.spectrum.length;
    await writeFileAtomic(join(dir, 'pca.bin'), new Uint8Array(all.buffer));
  }
  await writeFileAtomic(join(dir, AUGMENT_MODEL_FILE), JSON.stringify(manifest, null, 1));
}

/** Loads a model saved by {@link saveAugmentModel}. */
export async function loadAugmentModel(dir: string): Promise<AugmentModel> {
  const path = join(dir, AUGMENT_MODEL_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch (err) {
    throw new Error(`cannot read augmentation model '${path}': ${(err as Error).message}`);
  }
  if (manifest.format !== FORMAT || manifest.version !== 1) throw new Error(`'${path}' is not a ${FORMAT} v1 manifest`);
  const { latentDim: d, imageShape } = manifest;
  const dynamics = createLatentLinear({ latentDim: d, bias: manifest.bias, matrix: manifest.matrix, offset: manifest.offset });
  if (manifest.kind === 'autoencoder') {
    const encoder = await loadModelDir(join(dir, 'encoder'));
    try {
      return wrapAutoencoder(encoder, await loadModelDir(join(dir, 'decoder')), dynamics);
    } catch (err) {
      encoder.dispose();
      throw err;
    }
  }
  const bytes = await readFile(join(dir, 'pca.bin'));
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const p = imageShape[0] * imageShape[1] * imageShape[2];
  const s = manifest.spectrumLength ?? 0;
  if (all.length !== p + p * d + d + s) throw new Error(`'${join(dir, 'pca.bin')}' has ${all.length} values, expected ${p + p * d + d + s}`);
  return pcaAugment(imageShape, all.slice(0, p), all.slice(p, p + p * d), all.slice(p + p * d, p + p * d + d), all.slice(p + p * d + d), dynamics);
}
