import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArcMarginHead,
  countParams,
  iresnet,
  IRESNET_SMALL,
  type IresnetDepth,
} from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./golden/iresnet-params.json', import.meta.url), 'utf8')) as Record<
  string,
  { trainable: number; total: number }
>;

beforeAll(async () => {
  await initBackend('cpu');
});

describe('iresnet', () => {
  it('has the PyTorch reference layout parameter counts for depths 18, 34, 50, 100 (built, not run)', () => {
    for (const depth of [18, 34, 50, 100] as IresnetDepth[]) {
      const model = iresnet({ depth });
      expect(countParams(model), `depth ${depth}`).toEqual(golden[String(depth)]);
      model.dispose();
    }
  });

  it('small configuration: counts, output shape, input-size check', () => {
    const model = iresnet(IRESNET_SMALL);
    expect(countParams(model)).toEqual(golden.small);
    const y = tf.tidy(() => model.predict(tf.fill([2, 32, 32, 3], 127.5)) as tf.Tensor);
    expect(y.shape).toEqual([2, 64]);
    y.dispose();
    expect(() => model.predict(tf.zeros([1, 48, 48, 3]))).toThrow(/expected image to have shape \[null,32,32,3\]/);
    model.dispose();
    expect(() => iresnet({ ...IRESNET_SMALL, inputSize: 40 })).toThrow(/inputSize must be a multiple of 16/);
    expect(() => iresnet({ depth: 27 as IresnetDepth })).toThrow(/depth must be 18, 34, 50 or 100/);
  });
});

describe('ArcMarginHead', () => {
  it('outputs cosines of L2-normalised embeddings and centres, N(0, 0.01) seeded init, serialises', async () => {
    const input = tf.input({ shape: [4] });
    const head = new ArcMarginHead({ numClasses: 300, seed: 7 });
    const model = tf.model({ inputs: input, outputs: head.apply(input) as tf.SymbolicTensor });
    const w = Array.from(head.getWeights()[0]!.dataSync());
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(Math.abs(std - 0.01)).toBeLessThan(0.001);
    // Same seed, same centres.
    const again = new ArcMarginHead({ numClasses: 300, seed: 7 });
    again.apply(tf.input({ shape: [4] }));
    expect(Array.from(again.getWeights()[0]!.dataSync())).toEqual(w);

    const x = [3, -1, 2, 0.5];
    const out = tf.tidy(() => (model.predict(tf.tensor2d([x, x.map((v) => 10 * v)])) as tf.Tensor).arraySync() as number[][]);
    for (const j of [0, 17, 299]) {
      const col = [0, 1, 2, 3].map((i) => w[i * 300 + j]!);
      const cos = x.reduce((a, v, i) => a + v * col[i]!, 0) / (Math.hypot(...x) * Math.hypot(...col));
      expect(out[0]![j]!).toBeCloseTo(cos, 5);
      expect(out[1]![j]!).toBeCloseTo(cos, 5); // scale-invariant
    }

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const probe = tf.tensor2d([[1, 2, 3, 4]]);
    const [a, b] = [model.predict(probe) as tf.Tensor, loaded.predict(probe) as tf.Tensor];
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([a, b, probe]);
    model.dispose();
    loaded.dispose();
    expect(() => new ArcMarginHead({ numClasses: 0 })).toThrow(/numClasses must be a positive integer/);
  });
});
