import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  embed,
  iresnet,
  verifyBin,
  verifyEmbeddings,
  verifyLfw,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// Made by test/golden/make_verification_golden.py: insightface's evaluate() on these float32 embeddings, by the
// numpy/scipy port of calculate_roc / calculate_val (packages/metrics/test/golden/insightface_verification.py).
const golden = JSON.parse(readFileSync(new URL('./golden/verification-golden.json', import.meta.url), 'utf8'));

describe('verifyEmbeddings', () => {
  it("defaults to insightface's protocol: matches the Python port of calculate_roc / calculate_val", () => {
    const embeddings = (golden.embeddings as number[][]).map((e) => Float32Array.from(e));
    const r = verifyEmbeddings(embeddings, golden.issame);
    expect(r.protocol).toBe('insightface');
    expect(Math.abs(r.accuracy - golden.accuracy)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.std - golden.std)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.tarAtFar1e3 - golden.tar)).toBeLessThanOrEqual(1e-9);
    expect(r.thresholds).toEqual(golden.thresholds);
    // The same embeddings under observed-score thresholds: a different protocol, a different accuracy here
    // (0.8800 vs insightface's 0.8833).
    const ours = verifyEmbeddings(embeddings, golden.issame, { protocol: 'observed-scores' });
    expect(ours.protocol).toBe('observed-scores');
    expect(Math.abs(ours.accuracy - r.accuracy)).toBeGreaterThan(1e-3);
    r.distances.forEach((d, i) => expect(d).toBeCloseTo(2 - 2 * ours.scores[i]!, 6));
  });

  it("reproduces the issue's worked example with observed-score thresholds (mean 0.900000, std 0.122474)", () => {
    // Unit vectors at Euclidean distance d have cosine 1 − d²/2: the same ordering as the distances.
    const issame = Array.from({ length: 40 }, (_, i) => i % 2 === 0);
    const embeddings = issame.flatMap((same, i) => {
      const d = same ? 0.8 + (0.6 * ((7 * i) % 20)) / 19 : 1.2 + (0.7 * ((11 * i) % 20)) / 19;
      const phi = 2 * Math.asin(d / 2);
      return [Float32Array.of(1, 0), Float32Array.of(Math.cos(phi), Math.sin(phi))];
    });
    const r = verifyEmbeddings(embeddings, issame, { protocol: 'observed-scores' });
    expect(r.accuracy).toBeCloseTo(0.9, 6);
    expect(r.std).toBeCloseTo(0.122474, 6);
    expect(r.thresholds).toHaveLength(10);
    // Hand count for TAR@FAR ≤ 1e-3 with 20 different pairs: no different pair may be accepted. The closest
    // different pair has d = 1.2, and same pairs with d < 1.2 are (7i mod 20)/19·0.6 < 0.4 → (7i mod 20) ≤ 12.
    const expectedTar = issame.filter((s, i) => s && (7 * i) % 20 <= 12).length / 20;
    expect(r.tarAtFar1e3).toBeCloseTo(expectedTar, 9);
    expect(r.scores[0]).toBeCloseTo(1 - 0.8 ** 2 / 2, 6);
  });

  it('rejects NaN features, unnormalised embeddings, a wrong pair count and an unknown protocol', () => {
    expect(() => verifyEmbeddings([Float32Array.of(NaN, 0), Float32Array.of(1, 0)], [true])).toThrow(/embedding 0 \(pair 0\) .*NaN in features/);
    expect(() => verifyEmbeddings([Float32Array.of(1, 0), Float32Array.of(2, 0)], [true])).toThrow(/embedding 1 has norm 2: expected L2-normalised/);
    expect(() => verifyEmbeddings([Float32Array.of(1)], [true])).toThrow(/1 embeddings for 1 pairs/);
    expect(() => verifyEmbeddings([], [], { protocol: 'lfw' as 'insightface' })).toThrow(/protocol must be 'insightface' or 'observed-scores', got 'lfw'/);
  });
});

describe('embed', () => {
  it('is the L2-normalised sum of the image and mirrored-image outputs; checks size and NaN', () => {
    const model = iresnet({ units: [1, 1, 1, 1], widths: [8, 8, 8, 8, 8], inputSize: 16, embeddingSize: 8 });
    const x = tf.randomUniform([3, 16, 16, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const e = embed(model, x, { batchSize: 2 });
    const plain = embed(model, x, { flip: false });
    expect(tf.memory().numTensors).toBe(before);
    const f = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const g = (model.predict(tf.reverse(x, 2)) as tf.Tensor).arraySync() as number[][];
    for (let i = 0; i < 3; i++) {
      const sum = f[i]!.map((v, k) => v + g[i]![k]!);
      const n = Math.hypot(...sum);
      sum.forEach((v, k) => expect(e[i]![k]!).toBeCloseTo(v / n, 5));
      expect(Math.hypot(...plain[i]!)).toBeCloseTo(1, 5);
      plain[i]!.forEach((v, k) => expect(v).toBeCloseTo(f[i]![k]! / Math.hypot(...f[i]!), 5));
    }
    expect(() => embed(model, tf.zeros([1, 32, 32, 3]))).toThrow(/embed: images has shape \[1,32,32,3\], the model expects \[N, 16, 16, 3\]/);
    expect(() => embed(model, tf.fill([1, 16, 16, 3], NaN))).toThrow(/images\[0\] is not finite/);
    model.dispose();
  });
});

describe('verifyBin / verifyLfw', () => {
  it('run end to end on a pickled .bin and on an LFW folder + pairs.txt', async () => {
    const model = iresnet({ units: [1, 1, 1, 1], widths: [8, 8, 8, 8, 8], inputSize: 16, embeddingSize: 8 });
    const binPath = new URL('./golden/pairs-p4.bin', import.meta.url).pathname;
    // Three pairs in three folds: insightface's TAR@FAR needs same and different pairs in every fold.
    await expect(verifyBin(model, binPath, { folds: 3 })).rejects.toThrow(/fold 0 or its training folds lack same or different pairs/);
    const bin = await verifyBin(model, binPath, { folds: 3, protocol: 'observed-scores' });
    expect(bin.pairs).toBe(3);
    expect(bin.scores.every((s) => s >= -1 - 1e-6 && s <= 1 + 1e-6)).toBe(true);

    const dir = await mkdtemp(join(tmpdir(), 'arcface-lfw-'));
    for (const [name, seed] of [['alice', 1], ['bob', 2]] as const) {
      await mkdir(join(dir, name));
      for (const i of [1, 2]) {
        const img = tf.tidy(() => tf.randomUniform([16, 16, 3], 0, 1, 'float32', seed * 10 + i) as tf.Tensor3D);
        await writeImage(join(dir, name, `${name}_000${i}.jpg`), img);
        img.dispose();
      }
    }
    await writeFile(join(dir, 'pairs.txt'), '2 1\nalice 1 2\nalice 1 bob 1\nbob 1 2\nbob 2 alice 2\n');
    const lfw = await verifyLfw(model, join(dir, 'pairs.txt'), dir, { folds: 2 });
    expect(lfw.pairs).toBe(4);
    expect(lfw.protocol).toBe('insightface');
    expect(lfw.thresholds.every((t) => t >= 0 && t < 4)).toBe(true);
    const small = iresnet({ units: [1, 1, 1, 1], widths: [8, 8, 8, 8, 8], inputSize: 32, embeddingSize: 8 });
    await expect(verifyLfw(small, join(dir, 'pairs.txt'), dir, { folds: 2 })).rejects.toThrow(/alice_0001\.jpg: image is 16×16, the model expects 32×32/);
    expect((await verifyLfw(small, join(dir, 'pairs.txt'), dir, { folds: 2, resize: true })).pairs).toBe(4);
    model.dispose();
    small.dispose();
  });
});
