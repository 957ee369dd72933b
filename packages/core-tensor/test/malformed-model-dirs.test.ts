/**
 * Malformed model directories through loadModelDir: missing or unreadable files, model.json that is not a model,
 * weight files truncated or padded, topologies tfjs cannot build, weights that do not fit. Each is a one-line
 * error naming the directory or file, and the partly built model's variables are freed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { fileSystemIO, initBackend, loadModelDir, MODEL_JSON_FILE, MODEL_WEIGHTS_FILE, tf } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'facelab-malformed-model-'));
const valid = join(root, 'valid');
const numTensors = () => tf.memory().numTensors;
let modelJson: Record<string, unknown>;
let weights: Buffer;

beforeAll(async () => {
  await initBackend('cpu');
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.dense({ units: 2 })] });
  await model.save(fileSystemIO(valid));
  model.dispose();
  modelJson = JSON.parse(readFileSync(join(valid, MODEL_JSON_FILE), 'utf8'));
  weights = readFileSync(join(valid, MODEL_WEIGHTS_FILE));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A model directory with `json` (a value, or raw text; undefined: left out) and `bin` (null: left out). */
function modelDir(json: unknown, bin: Uint8Array | null = weights): string {
  const dir = join(root, `m${dirs++}`);
  mkdirSync(dir);
  if (json !== undefined) writeFileSync(join(dir, MODEL_JSON_FILE), typeof json === 'string' ? json : JSON.stringify(json));
  if (bin !== null) writeFileSync(join(dir, MODEL_WEIGHTS_FILE), bin);
  return dir;
}
/** model.json as the cases edit it: any field, any depth. */
type Json = any;
const edited = (edit: (j: Json) => void) => {
  const j = structuredClone(modelJson);
  edit(j);
  return j;
};
const load = (dir: () => string) => async () => (await loadModelDir(dir())).dispose();

const cases: MalformedCase[] = [
  { name: 'directory missing', run: load(() => join(root, 'none')), error: /cannot read model topology '.*none\/model\.json': file not found/ },
  { name: 'model.json missing', run: load(() => modelDir(undefined)), error: "model.json': file not found" },
  { name: 'weights.bin missing', run: load(() => modelDir(modelJson, null)), error: "cannot read model weights '" },
  { name: 'model.json empty', run: load(() => modelDir('')), error: 'corrupt model file' },
  { name: 'model.json not JSON', run: load(() => modelDir('{"modelTopology": ')), error: 'corrupt model file' },
  { name: 'model.json null', run: load(() => modelDir(null)), error: "no 'modelTopology' field" },
  { name: 'model.json a list', run: load(() => modelDir([1, 2])), error: "no 'modelTopology' field" },
  { name: 'modelTopology missing', run: load(() => modelDir(edited((j) => delete j.modelTopology))), error: "no 'modelTopology' field" },
  ...[0, 1, 17, 63].map((n): MalformedCase => ({
    name: `weights.bin truncated to ${n} bytes`,
    run: load(() => modelDir(modelJson, weights.subarray(0, n))),
    error: `${n} bytes, but`,
  })),
  { name: 'weights.bin padded by 4 bytes', run: load(() => modelDir(modelJson, Buffer.concat([weights, Buffer.alloc(4)]))), error: 'bytes, but' },
  {
    name: 'a layer with units -2 (built after the first layer)',
    run: load(() => modelDir(edited((j) => (j.modelTopology.config.layers[1].config.units = -2)))),
    error: /cannot load the model in '.*': Expected units to be a positive integer/,
  },
  {
    name: 'an unknown layer class after a built layer',
    run: load(() => modelDir(edited((j) => (j.modelTopology.config.layers[1].class_name = 'Bogus')))),
    error: /cannot load the model in '.*': Unknown layer: Bogus/,
  },
  {
    name: 'an unknown model class',
    run: load(() => modelDir(edited((j) => (j.modelTopology.class_name = 'Bogus')))),
    error: 'cannot load the model in',
  },
  { name: 'a valid directory loads', run: async () => (await loadModelDir(valid)).dispose(), ok: () => undefined },
];

// Weights that do not fit the built model: the model's variables are freed; tfjs-layers keeps its decoded copy
// of the stored weights (4 tensors here), which loadModelDir cannot reach (a documented limit).
const mismatches: MalformedCase[] = [
  ['a stored weight renamed', (j: Json) => (j.weightsManifest[0].weights[0].name = 'other/kernel'), 'has no target variable: other/kernel'],
  ['a kernel shape transposed', (j: Json) => (j.weightsManifest[0].weights[0].shape = [4, 3]), 'Shape mismatch'],
].map(([name, edit, why]) => ({
  name: `${name as string}: only tfjs's decoded copy of the weights is left`,
  run: async () => {
    const before = numTensors();
    const error = await loadModelDir(modelDir(edited(edit as (j: unknown) => void))).then(
      (m) => (m.dispose(), undefined),
      (err: Error) => err.message,
    );
    return { error, left: numTensors() - before };
  },
  ok: (r) => {
    const { error, left } = r as { error: string; left: number };
    expect(error).toMatch(new RegExp(`cannot load the model in '.*': .*${why as string}`));
    expect(left).toBe(4);
  },
}));

describeMalformed('model directory', cases, { numTensors });
describeMalformed('model directory: weights that do not fit', mismatches);
