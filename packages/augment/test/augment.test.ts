import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Dataset } from '@facelab/data';
import { Rng } from '@facelab/runtime';
import { fitPcaAugment } from '../src/model/pca.js';
import { augment, augmentOffsets } from '../src/synthesis/augment.js';
import { affineAugment, centredSimilarity } from '../src/synthesis/affine.js';
import { learnedAugmentation } from '../src/synthesis/dataset-transform.js';
import { createFrameSequences } from '../src/data/sequences.js';
import { sinusoidSequences, translatingSinusoid, THREE_WAVES } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const heldOut = (frames: number) => sinusoidSequences([2.5], frames).frames[0]!;
const asTensor = (frames: readonly Float32Array[]) => tf.tensor4d(Float32Array.from(frames.flatMap((f) => Array.from(f))), [frames.length, 8, 16, 1]);

describe('augment', () => {
  it('lists offsets −K..K with interpolations between neighbours', () => {
    expect(augmentOffsets(2)).toEqual([-2, -1, 0, 1, 2]);
    expect(augmentOffsets(1, 1)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('returns the true neighbouring frames for the exact PCA model, at integer and interpolated offsets', () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const frames = heldOut(9);
    const x = asTensor([frames[4]!]);
    const before = tf.memory().numTensors;
    const out = augment(model, x, { steps: 2, interpolate: 1 });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.images.shape).toEqual([1, 9, 8, 16, 1]);
    expect(out.offsets[0]).toEqual([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]);
    const got = out.images.arraySync()[0]!.map((im) => im.flat(2));
    for (const [j, o] of out.offsets[0]!.entries()) {
      // Integer offsets: frame 4 + o. Half offsets: the latent midpoint, i.e. the mean of the two frames (D, E linear).
      const truth = Number.isInteger(o) ? Array.from(frames[4 + o]!) : Array.from(frames[4 + Math.floor(o)]!, (v, p) => (v + frames[5 + Math.floor(o)]![p]!) / 2);
      truth.forEach((v, p) => expect(got[j]![p]).toBeCloseTo(v, 4));
    }
    out.images.dispose();
    x.dispose();
    model.dispose();
  });

  it("'residual' adds the decoded change to the input: exact for the PCA model on its orbit, clipped to [0, 1]", () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const frames = heldOut(5);
    const x = asTensor([frames[2]!]);
    const out = augment(model, x, { steps: 2, mode: 'residual' });
    out.images.arraySync()[0]!.forEach((im, j) => im.flat(2).forEach((v, p) => expect(v).toBeCloseTo(frames[j]![p]!, 4)));
    expect(() => augment(model, x, { steps: 1, mode: 'blend' as 'decode' })).toThrow(/mode must be 'decode' or 'residual', got 'blend'/);
    tf.dispose([x, out.images]);
    model.dispose();
  });

  it('draws `samples` non-zero offsets per image, the same for the same seed', () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const x = asTensor(heldOut(3));
    const a = augment(model, x, { steps: 3, samples: 4, seed: 7 });
    const b = augment(model, x, { steps: 3, samples: 4, seed: 7 });
    const c = augment(model, x, { steps: 3, samples: 4, seed: 8 });
    expect(a.images.shape).toEqual([3, 4, 8, 16, 1]);
    expect(a.offsets).toEqual(b.offsets);
    expect(a.offsets).not.toEqual(c.offsets);
    expect(a.offsets.flat().every((o) => o !== 0 && Math.abs(o) <= 3)).toBe(true);
    tf.dispose([a.images, b.images, c.images, x]);
    model.dispose();
  });

  it('rejects k out of range, a bad interpolation count and images of the wrong shape, leaking nothing', () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const x = asTensor(heldOut(2).slice(0, 1));
    const before = tf.memory().numTensors;
    expect(() => augment(model, x, { steps: 17 })).toThrow(/augment: steps must be an integer in 1\.\.16, got 17/);
    expect(() => augment(model, x, { steps: 0 })).toThrow(/steps must be an integer in 1\.\.16, got 0/);
    expect(() => augment(model, x, { steps: 1.5 })).toThrow(/got 1.5/);
    expect(() => augment(model, x, { steps: 1, interpolate: -1 })).toThrow(/interpolate must be an integer in 0\.\.16, got -1/);
    const wrong = tf.zeros([1, 16, 8, 1]) as tf.Tensor4D;
    expect(() => augment(model, wrong, { steps: 1 })).toThrow(/augment: images must be \[N, 8, 16, 1\] for this model, got \[1, 16, 8, 1\]/);
    wrong.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

describe('learnedAugmentation (Dataset batch transform)', () => {
  it('appends one augmented copy per sample with its label and offset, reproducibly', async () => {
    const model = fitPcaAugment(sinusoidSequences([0, 7]), { latentDim: 6 });
    const frames = heldOut(4);
    const items = frames.map((image, i) => ({ image, label: i }));
    const run = () => Dataset.fromArray(items).batch(2).map(learnedAugmentation(model, { steps: 2, seed: 3 })).toArray();
    const before = tf.memory().numTensors;
    const batches = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(batches.map((b) => b.map((s) => s.label))).toEqual([[0, 1, 0, 1], [2, 3, 2, 3]]);
    const copy = batches[0]![2] as (typeof batches)[0][0] & { augmentOffset: number };
    expect([-2, -1, 1, 2]).toContain(copy.augmentOffset);
    expect(copy.image).not.toEqual(items[0]!.image);
    expect((await run()).map((b) => b.map((s) => Array.from(s.image.slice(0, 4))))).toEqual(batches.map((b) => b.map((s) => Array.from(s.image.slice(0, 4)))));
    await expect(Dataset.fromArray([{ image: new Float32Array(3) }]).batch(1).map(learnedAugmentation(model, { steps: 1 })).toArray()).rejects.toThrow(
      /sample 0 of batch 0 needs 'image' as a Float32Array of 128 values \(8×16×1\)/,
    );
    model.dispose();
  });
});

describe('affineAugment', () => {
  it('maps the centre to itself plus the shift, and rotates about it', () => {
    const m = centredSimilarity(9, 9, Math.PI / 2, 2, 1, 0);
    // Centre (4, 4) → (5, 4); (5, 4) is 1 px right of the centre → 2 px down after a 90° turn and ×2.
    expect([m[0][0] * 4 + m[0][1] * 4 + m[0][2], m[1][0] * 4 + m[1][1] * 4 + m[1][2]].map((v) => +v.toFixed(9))).toEqual([5, 4]);
    expect([m[0][0] * 5 + m[0][1] * 4 + m[0][2], m[1][0] * 5 + m[1][1] * 4 + m[1][2]].map((v) => +v.toFixed(9))).toEqual([5, 6]);
  });

  it('warps each image of a batch with its own similarity, leaking nothing', () => {
    const frames = translatingSinusoid({ height: 8, width: 16, frames: 2, shift: 0, waves: THREE_WAVES }).frames;
    const x = asTensor(frames);
    const before = tf.memory().numTensors;
    const y = affineAugment(x, new Rng(1));
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([2, 8, 16, 1]);
    const [a, b] = y.arraySync().map((im) => im.flat(2));
    expect(a).not.toEqual(b); // identical inputs, different draws
    tf.dispose([x, y]);
  });
});

describe('createFrameSequences', () => {
  it('names sequences of different sizes, a sequence of one frame and a frame of the wrong length', () => {
    const two = [new Float32Array(12), new Float32Array(12)];
    expect(() => createFrameSequences([{ name: 'a', frames: two, shape: [2, 2, 3] }, { name: 'b', frames: two, shape: [3, 2, 2] }], [2, 2, 3])).toThrow(
      /sequence 'b' is 3×2×2, expected 2×2×3 like 'a'/,
    );
    expect(() => createFrameSequences([{ name: 'solo', frames: [new Float32Array(12)] }], [2, 2, 3])).toThrow(
      /sequence 'solo' has 1 frame; consecutive-frame pairs need at least 2/,
    );
    expect(() => createFrameSequences([{ name: 'c', frames: [new Float32Array(12), new Float32Array(11)] }], [2, 2, 3])).toThrow(
      /sequence 'c' frame 1 has 11 values, expected 12 \(2×2×3\)/,
    );
  });
});
