/** Loading a trained RoCGAN / cGAN back from its checkpoint folder (the model file + the newest checkpoint). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestCheckpoint, loadCheckpoint, tf } from '@facelab/core-tensor';
import { messageOf } from '@facelab/runtime';
import { createRocGan, disposeRocGan, type RocGan } from '../model/rocgan.js';
import { MODEL_CONFIG_FILE } from './fit.js';

/** The checkpoint names of a network's weights: `model/<key>/<weight name>`, as core-tensor's trainer writes them. */
function modelsOf(net: RocGan): Record<string, tf.LayersModel> {
  return {
    enc: net.enc,
    ...(net.encAe ? { encAe: net.encAe } : {}),
    dec: net.dec,
    dis: net.dis,
    emaEnc: net.ema.enc,
    emaDec: net.ema.dec,
  };
}

/**
 * Rebuilds the networks recorded in `<dir>/rocgan-model.json` and loads the newest checkpoint of `dir` (or the
 * checkpoint file `checkpoint`). Errors name the file that is missing or does not match.
 */
export async function loadRocGan(dir: string, checkpoint?: string): Promise<{ net: RocGan; path: string }> {
  const configFile = join(dir, MODEL_CONFIG_FILE);
  let config: { variant: 'rocgan' | 'cgan'; architecture: Record<string, unknown> };
  try {
    config = JSON.parse(await readFile(configFile, 'utf8'));
  } catch (err) {
    throw new Error(
      `${configFile}: cannot read the model description (${messageOf(err)}); is '${dir}' a training output's checkpoint folder?`,
      { cause: err },
    );
  }
  const path = checkpoint ?? (await latestCheckpoint(dir));
  if (path === undefined) throw new Error(`no checkpoint (ckpt-*.flckpt) in '${dir}'`);
  const net = createRocGan({ ...config.architecture, variant: config.variant });
  const { tensors } = await loadCheckpoint(path);
  try {
    for (const [key, model] of Object.entries(modelsOf(net))) {
      for (const w of model.weights) {
        const t = tensors.get(`model/${key}/${w.originalName}`);
        if (t === undefined)
          throw new Error(
            `checkpoint '${path}' has no weight '${w.originalName}' for '${key}': it is not a checkpoint of this ${net.variant}`,
          );
        if (t.shape.join() !== w.shape.join())
          throw new Error(`checkpoint '${path}': '${key}/${w.originalName}' is [${t.shape}], the model has [${w.shape}]`);
        w.write(t);
      }
    }
  } catch (err) {
    disposeRocGan(net);
    throw err;
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return { net, path };
}
