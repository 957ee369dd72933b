import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemIO, initBackend, tf } from '../src/index.js';
import { writeFileAtomic } from '@facelab/runtime';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'facelab-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [3] });
  const h = tf.layers.dense({ units: 4, activation: 'relu', name: 'io_hidden' }).apply(input) as tf.SymbolicTensor;
  const n = tf.layers.batchNormalization({ name: 'io_bn' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'io_out' }).apply(n) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('writeFileAtomic', () => {
  it('writes strings, bytes and chunk streams, leaving no temp file', async () => {
    const p = join(dir, 'a.txt');
    await writeFileAtomic(p, 'hello');
    expect(await readFile(p, 'utf8')).toBe('hello');
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(p))]).toEqual([1, 2, 3]);
    await writeFileAtomic(p, [new Uint8Array([4]), new Uint8Array([5, 6])]);
    expect([...(await readFile(p))]).toEqual([4, 5, 6]);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('keeps the previous content when the write fails midway', async () => {
    const p = join(dir, 'keep.bin');
    await writeFileAtomic(p, 'previous');
    function* crashing(): Generator<Uint8Array> {
      yield new Uint8Array(1000).fill(7);
      throw new Error('simulated crash');
    }
    await expect(writeFileAtomic(p, crashing())).rejects.toThrow(/keep\.bin.*simulated crash/);
    expect(await readFile(p, 'utf8')).toBe('previous');
    expect((await readdir(dir)).filter((f) => f.startsWith('.keep.bin'))).toEqual([]);
  });

  it('names the path when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), 'x')).rejects.toThrow(/missing\/x/);
  });
});

describe('fileSystemIO', () => {
  it('round-trips a model with trainable and non-trainable weights exactly', async () => {
    const model = tinyModel();
    // Give the batch-norm moving statistics non-default values so they are really checked.
    const bn = model.getLayer('io_bn');
    bn.setWeights(bn.getWeights().map((w, i) => tf.fill(w.shape, 0.25 * (i + 1))));
    const modelDir = join(dir, 'model');
    await model.save(fileSystemIO(modelDir));
    expect((await readdir(modelDir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // dense 3x4 + 4, bn 4 x 4 vectors, dense 4x2 + 2 float32 weights
    expect((await readFile(join(modelDir, 'weights.bin'))).byteLength).toBe(4 * (12 + 4 + 16 + 8 + 2));

    const loaded = await tf.loadLayersModel(fileSystemIO(modelDir));
    expect(loaded.weights.length).toBe(model.weights.length);
    for (let i = 0; i < model.weights.length; i++) {
      expect(loaded.weights[i]!.originalName).toBe(model.weights[i]!.originalName);
      expect(Array.from(loaded.weights[i]!.read().dataSync())).toEqual(Array.from(model.weights[i]!.read().dataSync()));
    }
    const x = tf.tensor2d([[1, -2, 0.5]]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  it('names the missing model.json', async () => {
    await expect(tf.loadLayersModel(fileSystemIO(join(dir, 'nowhere')))).rejects.toThrow(
      /nowhere\/model\.json.*file not found/,
    );
  });

  it('names a truncated weights.bin with the expected size', async () => {
    const modelDir = join(dir, 'trunc');
    const model = tinyModel();
    await model.save(fileSystemIO(modelDir));
    model.dispose();
    await truncate(join(modelDir, 'weights.bin'), 10);
    await expect(tf.loadLayersModel(fileSystemIO(modelDir))).rejects.toThrow(/trunc\/weights\.bin.*10 bytes.*168 bytes/);
  });

  it('names a corrupt model.json', async () => {
    const modelDir = join(dir, 'badjson');
    const model = tinyModel();
    await model.save(fileSystemIO(modelDir));
    model.dispose();
    await writeFile(join(modelDir, 'model.json'), '{"modelTopology": ');
    await expect(tf.loadLayersModel(fileSystemIO(modelDir))).rejects.toThrow(/corrupt model file .*badjson\/model\.json/);
  });
});
