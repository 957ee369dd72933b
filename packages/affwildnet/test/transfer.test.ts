import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyLoss, initBackend, tf } from '@facelab/core-tensor';
import { synthEmotionSet } from '../demo/synthetic.js';
import { classifyFaces, createEmotionClassifier, emotionCentres, emotionMedoids, fitEmotions } from '../src/train/transfer.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('extended-loss transfer pieces', () => {
  it('trains with and without the anchor, predicts and clusters without leaking tensors', async () => {
    const faces = synthEmotionSet(1, 14, 16, 'wild', { poseJitter: 0.5, clutter: false });
    const c = createEmotionClassifier(16, 7);
    const n0 = tf.memory().numTensors;
    await fitEmotions(c, faces, { steps: 2, batchSize: 7 });
    const centres = emotionCentres(c, faces, 2, 3);
    // 7 classes × 2 faces each → K = 2 centres per class, each a 64-d FC representation.
    expect(centres.labels).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    expect(centres.centres.every((row) => row.length === 64)).toBe(true);
    await fitEmotions(c, faces, { steps: 2, batchSize: 7, anchor: { centres, lambda: 0.5 } });
    const { classes, features } = classifyFaces(c, faces, 5);
    expect(classes).toHaveLength(14);
    expect(classes.every((k) => Number.isInteger(k) && k >= 0 && k < 7)).toBe(true);
    expect(features).toHaveLength(14);
    await fitEmotions(c, faces, { steps: 2, batchSize: 7, anchor: { centres, lambda: 0.1, anchor: 'representation' } });
    expect(tf.memory().numTensors).toBe(n0);
    c.model.dispose();
  });

  it('the anchor term changes the update of the top layer (same seed, same batches)', async () => {
    const faces = synthEmotionSet(1, 14, 16, 'wild', { poseJitter: 0.5, clutter: false });
    const a = createEmotionClassifier(16, 7);
    const b = createEmotionClassifier(16, 7);
    b.model.setWeights(a.model.getWeights());
    const centres = emotionCentres(a, faces, 1, 3);
    await fitEmotions(a, faces, { steps: 3, batchSize: 7 });
    await fitEmotions(b, faces, { steps: 3, batchSize: 7, anchor: { centres, lambda: 10 } });
    const wa = a.head.getWeights()[0]!.dataSync();
    const wb = b.head.getWeights()[0]!.dataSync();
    const diff = Math.max(...wa.map((v, i) => Math.abs(v - wb[i]!)));
    expect(diff).toBeGreaterThan(1e-4);
    a.model.dispose();
    b.model.dispose();
  });

  it('the representation anchor pulls A’s representations toward their class centres (same seed, same batches)', async () => {
    const faces = synthEmotionSet(1, 14, 16, 'wild', { poseJitter: 0.5, clutter: false });
    const a = createEmotionClassifier(16, 7);
    const b = createEmotionClassifier(16, 7);
    b.model.setWeights(a.model.getWeights());
    // Centres from other faces, so A's representations start away from them.
    const centres = emotionCentres(a, synthEmotionSet(100, 14, 16, 'studio', { poseJitter: 0.5, clutter: false }), 1, 3);
    const meanDistance = (c: typeof a) =>
      classifyFaces(c, faces).features.reduce((s, f, i) => {
        const centre = centres.centres[centres.labels.indexOf(faces.labels[i]!)]!;
        return s + f.reduce((t, v, j) => t + (v - centre[j]!) ** 2, 0);
      }, 0) / faces.count;
    await fitEmotions(a, faces, { steps: 5, batchSize: 7 });
    await fitEmotions(b, faces, { steps: 5, batchSize: 7, anchor: { centres, lambda: 1, anchor: 'representation' } });
    expect(meanDistance(b)).toBeLessThan(0.8 * meanDistance(a));
    const partial = { centres: centres.centres.slice(0, 2), labels: centres.labels.slice(0, 2) };
    await expect(fitEmotions(b, faces, { steps: 1, anchor: { centres: partial, anchor: 'representation' } })).rejects.toThrow(
      /no centre of class\(es\) 2, 3, 4, 5, 6/,
    );
    a.model.dispose();
    b.model.dispose();
  });

  it('the medoid anchor keeps the current network right on B’s medoid faces, without leaking tensors', async () => {
    const faceB = synthEmotionSet(100, 14, 16, 'studio', { poseJitter: 0.5, clutter: false });
    const faceA = synthEmotionSet(1, 14, 16, 'wild', { poseJitter: 0.5, clutter: false });
    const a = createEmotionClassifier(16, 7);
    await fitEmotions(a, faceB, { steps: 3, batchSize: 7 });
    const b = createEmotionClassifier(16, 7);
    b.model.setWeights(a.model.getWeights());
    const medoids = emotionMedoids(a, faceB, 1, 3);
    // Each medoid is a face of its centre's class.
    expect(medoids.medoids).toHaveLength(7);
    expect(medoids.medoids.map((j) => faceB.labels[j])).toEqual(medoids.labels);
    // Cross-entropy of the medoid faces under classifier c (the anchor term).
    const medoidImages = new Float32Array(medoids.medoids.flatMap((j) => Array.from(faceB.images.subarray(j * 768, (j + 1) * 768))));
    const medoidCe = (c: typeof a) =>
      tf.tidy(() => {
        const [logits] = c.model.predict(tf.tensor5d(medoidImages, [7, 1, 16, 16, 3])) as tf.Tensor2D[];
        return crossEntropyLoss(tf.tensor1d(medoids.labels), logits!).dataSync()[0]!;
      });
    const n0 = tf.memory().numTensors;
    await fitEmotions(a, faceA, { steps: 3, batchSize: 7, learningRate: 3e-3 });
    await fitEmotions(b, faceA, { steps: 3, batchSize: 7, learningRate: 3e-3, anchor: { centres: medoids, faces: faceB, anchor: 'medoids', lambda: 3 } });
    await fitEmotions(b, faceA, { steps: 2, batchSize: 7, anchor: { centres: medoids, faces: faceB, anchor: 'medoids-mse', medoidsPerStep: 3 } });
    expect(tf.memory().numTensors).toBe(n0);
    expect(medoidCe(b)).toBeLessThan(medoidCe(a));
    await expect(fitEmotions(b, faceA, { steps: 1, anchor: { centres: medoids, anchor: 'medoids' } })).rejects.toThrow(
      /anchor 'medoids' needs centres with medoids \(emotionMedoids\) and anchor.faces/,
    );
    const outside = { ...medoids, medoids: [...medoids.medoids.slice(1), 14] };
    await expect(fitEmotions(b, faceA, { steps: 1, anchor: { centres: outside, faces: faceB, anchor: 'medoids' } })).rejects.toThrow(
      /medoid index 14 is outside anchor.faces \(14 faces\)/,
    );
    await expect(fitEmotions(b, faceA, { steps: 1, anchor: { centres: medoids, faces: faceB, anchor: 'medoids', medoidsPerStep: 0 } })).rejects.toThrow(
      /medoidsPerStep must be a positive integer, got 0/,
    );
    expect(tf.memory().numTensors).toBe(n0);
    a.model.dispose();
    b.model.dispose();
  });
});
