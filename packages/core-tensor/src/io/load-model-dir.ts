/**
 * Loading a model directory without leaving tensors behind on failure. tfjs's loadLayersModel builds the
 * layers (their weight variables) before it loads the stored weights into them; a topology it cannot build to
 * the end, or weights whose names or shapes do not fit, throw with those variables still registered.
 */
import { tf } from '../tf.js';
import { fileSystemIO } from './model-dir.js';

/**
 * Reads the model in directory `dir` (`model.json` + `weights.bin`, as written by {@link fileSystemIO}). Any
 * failure is an Error naming the directory, and the variables of the partly built model are disposed.
 * Limit: on a weight name or shape mismatch, tfjs-layers 4.22 also keeps the decoded copy of the stored
 * weights, which is out of reach here.
 */
export async function loadModelDir(dir: string): Promise<tf.LayersModel> {
  const artifacts = await fileSystemIO(dir).load!(); // errors here name the file and build nothing
  const registered = () => tf.engine().registeredVariables;
  const before = new Set(Object.keys(registered()));
  try {
    return await tf.loadLayersModel({ load: () => Promise.resolve(artifacts) });
  } catch (err) {
    for (const [name, v] of Object.entries(registered())) if (!before.has(name)) v.dispose();
    const first = (err as Error).message.split('\n')[0];
    throw new Error(`cannot load the model in '${dir}': ${first}`, { cause: err });
  }
}
