import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { expectClose } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { averageFrames, createDeblurNet, createIdentityNet, fitDeblur, fitIdentityNet, type PairSet } from '../src/index.js';
import { translatingClip } from './helpers.js';

/** Pairs of 16² block textures (4 × 4 cells) blurred by horizontal motion of 1 px/frame over 5 frames. */
function texturePairs(count: number): PairSet {
  const set: PairSet = { blurred: [], sharp: [], size: 16, channels: 3, names: [] };
  for (let i = 0; i < count; i++) {
    const frames = translatingClip(16, 5, [1, 0], 100 + i, false, 4);
    set.blurred.push(averageFrames(frames));
    set.sharp.push(frames[2]!.data as Float32Array);
    set.names.push(String(i));
  }
  return set;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('fitDeblur on wasm', () => {
  const data = texturePairs(8);

  it('lowers the L1 loss and keeps the live tensor count constant from step to step', async () => {
    const net = createDeblurNet({ imageSize: 16, filters: [8, 16], seed: 1 });
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const r = await fitDeblur({
      net,
      data,
      steps: 60,
      batchSize: 4,
      lr: 3e-3,
      progress: false,
      callbacks: { onStepEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(r.step).toBe(60);
    const first = r.records.slice(0, 10).reduce((a, x) => a + x.loss, 0) / 10;
    const last = r.records.slice(-10).reduce((a, x) => a + x.loss, 0) / 10;
    expect(last).toBeLessThan(0.9 * first);
    // After the first step (the optimizer creates its slots), no step leaves tensors behind.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    net.model.dispose();
  });

  it('trains the two-step variant (with its low-frequency term) and the two-stream loss through a frozen identity net', async () => {
    const identity = createIdentityNet({ imageSize: 16, embeddingSize: 8, seed: 2 });
    const idWeights = identity.getWeights().map((w) => w.dataSync().slice());
    const net = createDeblurNet({ imageSize: 16, filters: [4, 8], variant: 'two-step', seed: 1 });
    const counts: number[] = [];
    const r = await fitDeblur({
      net,
      data,
      identity,
      loss: { identity: 0.5 },
      steps: 4,
      batchSize: 2,
      progress: false,
      callbacks: { onStepEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(Object.keys(r.records[0]!.metrics ?? {})).toEqual(expect.arrayContaining(['l1', 'identity', 'low']));
    expect(new Set(counts.slice(1)).size).toBe(1);
    // The identity stream is frozen: its weights (batch-norm statistics included) are unchanged.
    identity.getWeights().forEach((w, i) => expectClose(w, idWeights[i]!, { atol: 0 }));
    net.model.dispose();
    identity.dispose();
  });

  it('trains the identity stream jointly (jointIdentity): its weights move, the ArcFace term falls, no leaks', async () => {
    const identity = createIdentityNet({ imageSize: 16, embeddingSize: 8, seed: 2 });
    const idWeights = identity.getWeights().map((w) => w.dataSync().slice());
    const net = createDeblurNet({ imageSize: 16, filters: [4, 8], seed: 1 });
    const labels = [0, 0, 1, 1, 2, 2, 3, 3];
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const r = await fitDeblur({
      net,
      data,
      identity,
      jointIdentity: { labels },
      steps: 12,
      batchSize: 8,
      lr: 3e-3,
      flip: false,
      progress: false,
      callbacks: { onStepEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(Object.keys(r.records[0]!.metrics ?? {})).toEqual(expect.arrayContaining(['l1', 'identity', 'arcface']));
    const arc = r.records.map((x) => x.metrics!.arcface!);
    expect(arc.slice(-3).reduce((a, b) => a + b) / 3).toBeLessThan(arc.slice(0, 3).reduce((a, b) => a + b) / 3);
    expect(new Set(counts.slice(1)).size).toBe(1);
    // The class centres are gone after training; the backbone keeps its trained weights.
    expect(tf.memory().numTensors).toBe(before);
    const moved = identity.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== idWeights[i]![j]));
    expect(moved).toBe(true);
    net.model.dispose();
    await expect(fitDeblur({ net: createDeblurNet({ imageSize: 16, filters: [4, 8] }), data, jointIdentity: { labels }, steps: 1, progress: false })).rejects.toThrow(
      'jointIdentity needs an identity net',
    );
    await expect(fitDeblur({ net, data, identity, jointIdentity: { labels: [0, 1] }, steps: 1, progress: false })).rejects.toThrow('jointIdentity has 2 labels for 8 pairs');
    await expect(fitDeblur({ net, data, identity, jointIdentity: { labels: labels.map((l) => l - 0.5) }, steps: 1, progress: false })).rejects.toThrow(
      'jointIdentity label 0 must be a non-negative integer, got -0.5',
    );
    identity.dispose();
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run (deterministic with a seed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deblur-resume-'));
    const run = async (steps: number, checkpoint?: string, resume = false) => {
      const net = createDeblurNet({ imageSize: 16, filters: [4, 8], seed: 5 });
      await fitDeblur({ net, data, steps, batchSize: 2, seed: 9, progress: false, checkpoint: checkpoint ? { dir: checkpoint, every: 3 } : undefined, resume });
      const w = net.model.getWeights().map((t) => t.dataSync().slice());
      net.model.dispose();
      return w;
    };
    const straight = await run(6);
    await run(3, dir);
    const resumed = await run(6, dir, true);
    resumed.forEach((w, i) => expectClose(w, straight[i]!, { atol: 1e-6 }));
  });

  it('refuses pairs of another size, naming both sizes', async () => {
    const net = createDeblurNet({ imageSize: 32, filters: [4, 8] });
    await expect(fitDeblur({ net, data, steps: 1, progress: false })).rejects.toThrow(/pairs are 16×16, the network expects 32×32/);
    net.model.dispose();
  });
});

describe('fitIdentityNet', () => {
  it('trains the identity stream with the ArcFace loss (the loss falls) without leaking tensors', async () => {
    const data = texturePairs(4);
    const images = tf.tensor4d(Float32Array.from(data.sharp.flatMap((a) => [...a, ...a.map((v) => Math.min(1, v + 0.02))])), [8, 16, 16, 3]);
    const labels = [0, 0, 1, 1, 2, 2, 3, 3];
    const net = createIdentityNet({ imageSize: 16, embeddingSize: 8, seed: 1 });
    const before = tf.memory().numTensors;
    const r = await fitIdentityNet({ net, images, labels, steps: 25, batchSize: 8, lr: 0.05 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.records.at(-1)!.loss).toBeLessThan(r.records[0]!.loss);
    images.dispose();
    net.dispose();
  });
});
