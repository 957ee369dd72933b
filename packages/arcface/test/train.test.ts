import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArcMarginHead, iresnet, tensorFaceSource, trainArcFace, type FaceSource } from '../src/index.js';

const tiny = () => iresnet({ units: [1, 1, 1, 1], widths: [8, 8, 8, 8, 8], inputSize: 16, embeddingSize: 8 });

/** 4 identities: a per-identity colour pattern plus noise, 6 images each. */
function identities(): { images: tf.Tensor4D; labels: number[] } {
  const rng = new Rng(5);
  const labels: number[] = [];
  const data = new Float32Array(24 * 16 * 16 * 3);
  for (let n = 0; n < 24; n++) {
    const id = n % 4;
    labels.push(id);
    for (let p = 0; p < 16 * 16; p++) {
      const y = Math.floor(p / 16);
      for (let c = 0; c < 3; c++) {
        const base = ((id >> (c % 2)) & 1) * 160 + (y < 8 === (id % 2 === 0) ? 60 : 0);
        data[(n * 256 + p) * 3 + c] = Math.min(255, Math.max(0, base + rng.normal(0, 20)));
      }
    }
  }
  return { images: tf.tensor4d(data, [24, 16, 16, 3]), labels };
}

beforeAll(async () => {
  // wasm: cpu's convolution-filter gradient is a per-element loop (see shared notes).
  await initBackend('wasm');
});

describe('trainArcFace', () => {
  it('lowers the ArcFace loss on separable identities, leaks nothing, resumes from a checkpoint exactly', async () => {
    const { images, labels } = identities();
    const data = tensorFaceSource(images, labels);
    const common = { data, batchSize: 8, lr: 0.05, warmupSteps: 2, margin: { s: 16, m2: 0.3 }, progress: false } as const;

    const before = tf.memory().numTensors;
    const full = await trainArcFace({ ...common, backbone: tiny(), steps: 24 });
    const losses = full.result.records.map((r) => r.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-4))).toBeLessThan(0.7 * mean(losses.slice(0, 4)));
    const fullWeights = full.net.getWeights().map((w) => Array.from(w.dataSync()));
    full.net.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // Killed after step 12 (checkpoint every 6), rebuilt from scratch and resumed to 24: the same weights.
    const dir = await mkdtemp(join(tmpdir(), 'arcface-train-'));
    const part = await trainArcFace({
      ...common,
      backbone: tiny(),
      steps: 24,
      checkpoint: { dir, every: 6 },
      callbacks: { onStepEnd: (r, control) => (r.step === 12 ? control.stop('killed') : undefined) },
    });
    expect(part.result.step).toBe(12);
    part.net.dispose();
    const resumed = await trainArcFace({ ...common, backbone: tiny(), steps: 24, checkpoint: { dir, every: 6 }, resume: true });
    expect(resumed.result.step).toBe(24);
    expect(resumed.result.records[0]!.step).toBe(13);
    resumed.net.getWeights().forEach((w, i) => expect(Array.from(w.dataSync()), `weight ${i}`).toEqual(fullWeights[i]));
    resumed.net.dispose();
    images.dispose();
  });

  it("clips the backbone's gradients only (arcface_torch), or backbone and centres with clipScope 'all'", async () => {
    // One momentum step from zero momentum moves the weights by −lr·g (no weight decay). With a small clipNorm
    // c: 'backbone' gives ‖Δ backbone‖ = lr·c and unclipped centres; 'all' gives ‖Δ backbone, Δ centres‖ = lr·c.
    const { images, labels } = identities();
    const data = tensorFaceSource(images, labels);
    const start = new ArcMarginHead({ numClasses: 4, seed: 1 }); // trainArcFace's head: same seed, same centres
    start.build([null, 8]);
    const centres0 = Array.from(start.getWeights()[0]!.dataSync());
    tf.dispose(start.weights.map((w) => w.read()));
    const sq = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
    const step = async (clipScope: 'backbone' | 'all') => {
      const backbone = tiny();
      const before = backbone.trainableWeights.map((w) => w.read().dataSync().slice());
      const { net, head } = await trainArcFace({ data, backbone, steps: 1, batchSize: 8, lr: 1, weightDecay: 0, clipNorm: 0.01, clipScope, progress: false });
      const b = Math.sqrt(backbone.trainableWeights.reduce((s, w, i) => s + sq(w.read().dataSync(), before[i]!), 0));
      const c = Math.sqrt(sq(head.trainableWeights[0]!.read().dataSync(), centres0));
      net.dispose();
      return { b, c };
    };
    const own = await step('backbone');
    expect(own.b).toBeCloseTo(0.01, 5);
    expect(own.c).toBeGreaterThan(0.01);
    const all = await step('all');
    expect(Math.hypot(all.b, all.c)).toBeCloseTo(0.01, 5);
    expect(all.b).toBeLessThan(0.01);
    const backbone = tiny();
    await expect(trainArcFace({ data, backbone, steps: 1, clipScope: 'head' as 'all', progress: false })).rejects.toThrow(
      /clipScope must be 'backbone' or 'all', got 'head'/,
    );
    backbone.dispose();
    images.dispose();
  });

  it('stops with a clear error on NaN features and on bad options', async () => {
    const nan: FaceSource = {
      length: 4,
      numClasses: 2,
      labelOf: (i) => i % 2,
      image: async () => tf.fill([16, 16, 3], NaN) as tf.Tensor3D,
    };
    const backbone = tiny();
    await expect(trainArcFace({ backbone, data: nan, steps: 2, batchSize: 2, progress: false })).rejects.toThrow(/loss is NaN at step 1/);
    await expect(trainArcFace({ backbone, data: nan, steps: 0, progress: false })).rejects.toThrow(/steps must be a positive integer/);
    expect(() => tensorFaceSource(tf.zeros([2, 16, 16, 3]) as tf.Tensor4D, [0, -1])).toThrow(/label 1 is -1/);
    backbone.dispose();
  });
});
