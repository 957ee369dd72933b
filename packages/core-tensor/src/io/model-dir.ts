/**
 * A tf.io handler that saves/loads a tf.LayersModel to/from a directory (`model.json` + `weights.bin`), the
 * layout tfjs-node's `file://` handler uses. tfjs-core has no file-system handler in Node.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../tf.js';
import { resolveInside, writeFileAtomic, type ResolveInsideOptions } from '@facelab/runtime';
import { ensureDir } from './output-dir.js';

/** Name of the topology + manifest file inside a model directory. */
export const MODEL_JSON_FILE = 'model.json';
/** Name of the weight file inside a model directory. */
export const MODEL_WEIGHTS_FILE = 'weights.bin';

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Bytes a manifest entry occupies in the weight file, or undefined when it cannot be known (strings). */
function specBytes(spec: tf.io.WeightsManifestEntry): number | undefined {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES_PER[dtype];
  if (per === undefined) return undefined;
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

function toBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

async function readOrThrow(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new Error(`cannot read ${what} '${path}': ${why}`, { cause: err });
  }
}

async function save(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const topology = artifacts.modelTopology;
  if (topology == null || topology instanceof ArrayBuffer) {
    throw new Error(`fileSystemIO('${dir}'): only JSON model topologies can be saved`);
  }
  await ensureDir(dir, `fileSystemIO('${dir}')`);
  const weights = toBytes(artifacts.weightData);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: topology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${MODEL_WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;
  // Weights first: model.json is the file a loader opens, so it only appears once its weights are complete.
  await writeFileAtomic(join(dir, MODEL_WEIGHTS_FILE), weights);
  const json = JSON.stringify(modelJson);
  await writeFileAtomic(join(dir, MODEL_JSON_FILE), json);
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(topology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: weights.byteLength,
    },
  };
}

/** A weight file named by `model.json`, resolved inside the model directory (see {@link fileSystemIO}). */
function weightPath(dir: string, jsonPath: string, p: unknown, paths: ResolveInsideOptions): string {
  if (typeof p !== 'string') throw new Error(`corrupt model file '${jsonPath}': weightsManifest path ${JSON.stringify(p)} is not a string`);
  try {
    return resolveInside(dir, p, paths);
  } catch (err) {
    throw new Error(`model file '${jsonPath}': weightsManifest path ${(err as Error).message}`, { cause: err });
  }
}

async function load(dir: string, pathOptions: ResolveInsideOptions): Promise<tf.io.ModelArtifacts> {
  const jsonPath = join(dir, MODEL_JSON_FILE);
  const text = (await readOrThrow(jsonPath, 'model topology')).toString('utf8');
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(text) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`corrupt model file '${jsonPath}': ${(err as Error).message}`);
  }
  if (modelJson === null || typeof modelJson !== 'object' || modelJson.modelTopology == null) {
    throw new Error(`corrupt model file '${jsonPath}': no 'modelTopology' field`);
  }
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const parts: Uint8Array[] = [];
    const paths: string[] = [];
    if (!Array.isArray(manifest)) throw new Error(`corrupt model file '${jsonPath}': weightsManifest is not a list`);
    for (const group of manifest) {
      if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
        throw new Error(`corrupt model file '${jsonPath}': a weightsManifest group lacks its 'paths' or 'weights' list`);
      }
      for (const spec of group.weights) specs.push(spec);
      for (const p of group.paths) {
        const path = weightPath(dir, jsonPath, p, pathOptions);
        paths.push(path);
        parts.push(await readOrThrow(path, 'model weights'));
      }
    }
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    const sizes = specs.map(specBytes);
    if (sizes.every((s) => s !== undefined)) {
      const expected = sizes.reduce((a, b) => a! + b!, 0)!;
      if (expected !== total) {
        throw new Error(
          `corrupt weights '${paths.join(', ')}': ${total} bytes, but '${jsonPath}' lists ${specs.length} ` +
            `weights totalling ${expected} bytes (truncated or from another model?)`,
        );
      }
    }
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) {
      joined.set(p, offset);
      offset += p.byteLength;
    }
    return [specs, joined.buffer];
  });
}

/**
 * A tf.io handler for a model directory: `await model.save(fileSystemIO(dir))` writes `model.json` and
 * `weights.bin` atomically; `await tf.loadLayersModel(fileSystemIO(dir))` reads them back. Missing or corrupt
 * files give an Error naming the file. The weight files `model.json` names must lie inside `dir` (a path
 * such as `../../secret.bin` is an error whose cause is a PathOutsideRootError); absolute ones only with
 * `options.allowAbsolute`.
 */
export function fileSystemIO(dir: string, options: ResolveInsideOptions = {}): tf.io.IOHandler {
  return {
    save: (artifacts) => save(dir, artifacts),
    load: () => load(dir, options),
  };
}
