/**
 * A deblurring network on disk: `model.json` + `weights.bin` (core-tensor's fileSystemIO) and `deblur.json`, the
 * architecture it was built with.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemIO, tf } from '@facelab/core-tensor';
import { writeFileAtomic } from '@facelab/runtime';
import { deblurArchitecture, type DeblurArchitecture, type DeblurNet } from '../model/deblur-net.js';

/** The architecture file of a model directory. */
export const DEBLUR_MODEL_FILE = 'deblur.json';

/** Writes the network into `dir` (created). */
export async function saveDeblurNet(net: DeblurNet, dir: string): Promise<void> {
  await net.model.save(fileSystemIO(dir));
  await writeFileAtomic(join(dir, DEBLUR_MODEL_FILE), JSON.stringify(net.architecture) + '\n');
}

/** Reads a network written by {@link saveDeblurNet}; a missing or malformed file is an error naming it. */
export async function loadDeblurNet(dir: string): Promise<DeblurNet> {
  const file = join(dir, DEBLUR_MODEL_FILE);
  let architecture: DeblurArchitecture;
  try {
    architecture = deblurArchitecture(JSON.parse(await readFile(file, 'utf8')) as DeblurArchitecture);
  } catch (err) {
    throw new Error(`${file}: not a deblur model (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const model = await tf.loadLayersModel(fileSystemIO(dir));
  return { model, architecture };
}
