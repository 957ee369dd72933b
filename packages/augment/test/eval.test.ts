import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { evaluateOneStep } from '../src/eval/one-step.js';
import { evaluateDownstream } from '../src/eval/downstream.js';
import { fitPcaAugment } from '../src/model/pca.js';
import { sinusoidSequences } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('evaluateOneStep', () => {
  it('gives the exact PCA model zero error, and the copy baseline the hand-computed mean squared frame change', () => {
    const train = sinusoidSequences([0, 7]);
    const test = sinusoidSequences([2.5], 10);
    const model = fitPcaAugment(train, { latentDim: 6 });
    const before = tf.memory().numTensors;
    const e = evaluateOneStep(model, test, 4);
    expect(tf.memory().numTensors).toBe(before);
    const frames = test.frames[0]!;
    let copy = 0;
    for (let t = 0; t + 1 < frames.length; t++) for (let p = 0; p < 128; p++) copy += (frames[t]![p]! - frames[t + 1]![p]!) ** 2;
    expect(e.pairs).toBe(9);
    expect(e.pixel.copy).toBeCloseTo(copy / (9 * 128), 7);
    expect(e.latent.model).toBeLessThan(1e-10);
    expect(e.pixel.model).toBeLessThan(1e-10);
    // The identity model's pixel error is the copy error (D∘E is exact on the orbit).
    expect(e.pixel.identity).toBeCloseTo(e.pixel.copy, 7);
    expect(e.latent.identity).toBeGreaterThan(0.01);
    model.dispose();
  });
});

describe('evaluateDownstream', () => {
  it('names bad labels, mismatched image sizes and a mismatched augmentation model', async () => {
    const img = new Float32Array(8 * 16);
    const set = { imageShape: [8, 16, 1] as const, images: [img, img], labels: [0, 1] };
    await expect(evaluateDownstream({ ...set, labels: [0, 2] }, set, { augmentation: { kind: 'none' }, classes: 2 })).rejects.toThrow(
      /downstream training set: label 1 is 2, expected an integer in 0\.\.1/,
    );
    await expect(evaluateDownstream(set, { ...set, images: [img, new Float32Array(3)] }, { augmentation: { kind: 'none' }, classes: 2 })).rejects.toThrow(
      /downstream test set: image 1 has 3 values, expected 128 \(8×16×1\)/,
    );
    const model = fitPcaAugment(sinusoidSequences([0]), { latentDim: 2 });
    const wide = { imageShape: [16, 8, 1] as const, images: [img], labels: [0] };
    await expect(evaluateDownstream(wide, wide, { augmentation: { kind: 'learned', model, steps: 1 }, classes: 1 })).rejects.toThrow(
      /the augmentation model takes 8×16×1 images, the set has 16×8×1/,
    );
    model.dispose();
  });
});
