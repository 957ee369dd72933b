/**
 * A `file://` model loader for tfjs graph models (model.json + its weight shards), which tfjs-core lacks in
 * Node: Human asks for `file://<dir>/<model>.json` and this reads the files of the installed package, with no
 * network access.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@facelab/core-tensor';

function readOrThrow(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what} '${path}': ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`, { cause: err });
  }
}

/** A tf.io handler that loads a graph or layers model from `model.json` and its weight files on disk. */
export function modelFileIO(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(readOrThrow(modelJsonPath, 'model file').toString('utf8')) as tf.io.ModelJSON;
      } catch (err) {
        if (err instanceof SyntaxError) throw new Error(`model file '${modelJsonPath}' is not JSON: ${err.message}`, { cause: err });
        throw err;
      }
      if (json.modelTopology === undefined || !Array.isArray(json.weightsManifest)) {
        throw new Error(`model file '${modelJsonPath}' has no modelTopology or weightsManifest`);
      }
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const shards: Buffer[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) shards.push(readOrThrow(join(dirname(modelJsonPath), p), 'weight file'));
      }
      const all = Buffer.concat(shards);
      const { weightsManifest: _, ...rest } = json;
      return { ...rest, weightSpecs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
    },
  };
}

let routed = false;

/**
 * Routes `file://` URLs given to tf.loadGraphModel / tf.loadLayersModel to {@link modelFileIO} (once per process).
 * Where another file:// loader is already registered (tfjs-node's), that one is left to serve them.
 */
export function registerFileModelRouter(): void {
  if (routed) return;
  routed = true;
  if (tf.io.getLoadHandlers('file:///probe/model.json').length > 0) return;
  // tfjs skips a router that returns null; its type says IOHandler.
  tf.io.registerLoadRouter(((url: string | string[]) =>
    typeof url === 'string' && url.startsWith('file://') ? modelFileIO(fileURLToPath(url)) : null) as Parameters<typeof tf.io.registerLoadRouter>[0]);
}
