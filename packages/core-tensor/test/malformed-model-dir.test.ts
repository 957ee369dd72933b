/**
 * Malformed model directories for fileSystemIO: weight paths leaving the directory (a file of the right size
 * outside must not load as weights), absolute paths, corrupt manifests and topologies, truncated weights.
 * Every error names the file; no case leaks a tensor.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathOutsideRootError } from '@facelab/runtime';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { fileSystemIO, initBackend, tf } from '../src/index.js';

let dir = '';
let json: { weightsManifest: { paths: string[]; weights: unknown[] }[] } & Record<string, unknown>;
let weights: Buffer;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-model-'));
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  await model.save(fileSystemIO(join(dir, 'good')));
  model.dispose();
  json = JSON.parse(await readFile(join(dir, 'good', 'model.json'), 'utf8'));
  weights = await readFile(join(dir, 'good', 'weights.bin'));
  // A file of exactly the weights' size outside every model directory.
  await writeFile(join(dir, 'outside.bin'), weights);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
/** A model directory with `model.json` = `edit(json)` and the good weights; loads it (and disposes the model). */
async function load(edit: (j: typeof json) => unknown, options = {}, weightBytes: Buffer = weights): Promise<number> {
  const d = join(dir, `m${n++}`, 'model');
  await mkdir(d, { recursive: true });
  const text = edit(structuredClone(json));
  await writeFile(join(d, 'model.json'), typeof text === 'string' ? text : JSON.stringify(text));
  await writeFile(join(d, 'weights.bin'), weightBytes);
  const model = await tf.loadLayersModel(fileSystemIO(d, options));
  const count = model.countParams();
  model.dispose();
  return count;
}
const withPaths = (paths: unknown[]) => (j: typeof json) => ((j.weightsManifest[0]!.paths = paths as string[]), j);

const escapes = ['../../outside.bin', '../weights.bin', './../../outside.bin', 'sub/../../../outside.bin'];
const cases: MalformedCase[] = [
  ...escapes.map((p) => ({ name: `weights path '${p}'`, run: () => load(withPaths([p])), error: `weightsManifest path '${p}' resolves outside ` })),
  { name: 'absolute weights path', run: () => load(withPaths([join(dir, 'outside.bin')])), error: "weightsManifest path '" },
  { name: 'absolute weights path with allowAbsolute', run: () => load(withPaths([join(dir, 'outside.bin')]), { allowAbsolute: true }), ok: (c) => expect(c).toBe(8) },
  {
    name: 'the error keeps PathOutsideRootError as its cause',
    run: () => load(withPaths(['../../outside.bin'])).catch((e: Error) => e.cause),
    ok: (cause) => expect(cause).toBeInstanceOf(PathOutsideRootError),
  },
  { name: 'weights path with a NUL byte', run: () => load(withPaths(['weights.bin\u0000x'])), error: 'contains a NUL byte' },
  { name: 'weights path a number', run: () => load(withPaths([7])), error: 'weightsManifest path 7 is not a string' },
  { name: 'weights path null', run: () => load(withPaths([null])), error: 'weightsManifest path null is not a string' },
  { name: 'weights path missing file', run: () => load(withPaths(['nope.bin'])), error: "cannot read model weights '" },
  { name: "'./weights.bin' loads", run: () => load((j) => j), ok: (c) => expect(c).toBe(8) },
  { name: 'weights path twice (double size)', run: () => load(withPaths(['weights.bin', 'weights.bin'])), error: 'totalling 32 bytes (truncated or from another model?)' },
  { name: 'weightsManifest not a list', run: () => load((j) => ({ ...j, weightsManifest: {} })), error: /weightsManifest|not iterable|is not/ },
  { name: 'manifest group without paths', run: () => load((j) => ({ ...j, weightsManifest: [{ weights: [] }] })), error: "lacks its 'paths' or 'weights' list" },
  { name: 'manifest group null', run: () => load((j) => ({ ...j, weightsManifest: [null] })), error: "lacks its 'paths' or 'weights' list" },
  { name: 'truncated weights', run: () => load((j) => j, {}, weights.subarray(0, 20)), error: "corrupt weights '" },
  { name: 'extra weight bytes', run: () => load((j) => j, {}, Buffer.concat([weights, weights])), error: 'totalling 32 bytes' },
  { name: 'model.json not JSON', run: () => load(() => '{"modelTopology":'), error: "corrupt model file '" },
  { name: 'model.json null', run: () => load(() => 'null'), error: "no 'modelTopology' field" },
  { name: 'model.json without topology', run: () => load(({ modelTopology: _, ...rest }) => rest), error: "no 'modelTopology' field" },
  { name: 'missing model directory', run: () => tf.loadLayersModel(fileSystemIO(join(dir, 'absent'))), error: "cannot read model topology '" },
];

describeMalformed('core-tensor model directories', cases, { numTensors: () => tf.memory().numTensors });
