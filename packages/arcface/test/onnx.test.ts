import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOnnxModel } from '@facelab/runtime';
import { iresnet, loadOnnxWeights } from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./golden/tiny-iresnet.json', import.meta.url), 'utf8')) as {
  config: { units: number[]; widths: number[]; input_size: number; embedding_size: number };
  pixels: number[][][][];
  embeddings: number[][];
};
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./golden/${name}`, import.meta.url)));
const build = () =>
  iresnet({
    units: golden.config.units,
    widths: golden.config.widths,
    inputSize: golden.config.input_size,
    embeddingSize: golden.config.embedding_size,
  });

beforeAll(async () => {
  await initBackend('cpu');
});

describe('loadOnnxWeights', () => {
  for (const [file, folded] of [
    // Folded: stem + 2 per unit × 5 units + 4 shortcuts.
    ['tiny-iresnet.onnx', 15],
    ['tiny-iresnet-bn.onnx', 0],
  ] as const) {
    it(`reproduces PyTorch's embeddings within 1e-4 from ${file}`, () => {
      const model = build();
      const report = loadOnnxWeights(model, fixture(file), file);
      expect(report.foldedBatchNorms).toBe(folded);
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => (model.predict(tf.tensor4d(golden.pixels)) as tf.Tensor).arraySync() as number[][]);
      expect(tf.memory().numTensors).toBe(before);
      out.forEach((row, i) => {
        const ref = golden.embeddings[i]!;
        const scale = Math.max(...ref.map(Math.abs));
        const err = Math.max(...row.map((v, j) => Math.abs(v - ref[j]!)));
        expect(err / scale, `image ${i}`).toBeLessThan(1e-4);
      });
      model.dispose();
    });
  }

  it('rejects a model of another layout and a truncated file, naming node, layer or offset', () => {
    const other = iresnet({ units: [1, 1, 1, 1], widths: golden.config.widths, inputSize: 32, embeddingSize: 16 });
    expect(() => loadOnnxWeights(other, fixture('tiny-iresnet.onnx'), 'tiny.onnx')).toThrow(/tiny\.onnx: node '.*' \(.*\) for layer '.*': expected/);
    other.dispose();
    const narrow = iresnet({ units: golden.config.units, widths: [8, 8, 16, 16, 16], inputSize: 32, embeddingSize: 16 });
    const before = tf.memory().numTensors;
    expect(() => loadOnnxWeights(narrow, fixture('tiny-iresnet.onnx'), 'tiny.onnx')).toThrow(/layer 'stage4_unit0_1_conv'.*shape/);
    expect(tf.memory().numTensors).toBe(before); // the weights read before the mismatch are released
    narrow.dispose();
    const bytes = fixture('tiny-iresnet.onnx');
    expect(() => parseOnnxModel(bytes.subarray(0, 5000), 'cut.onnx')).toThrow(/cut\.onnx .*byte offset \d+/);
    expect(() => parseOnnxModel(new TextEncoder().encode('hello'), 'text.onnx')).toThrow(/text\.onnx/);
  });
});
