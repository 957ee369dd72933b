import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { expectClose } from '@facelab/test-utils';
import { describeBackends } from '@facelab/test-utils/backends';
import {
  estimateSimilarity,
  transformPoints,
  warpAffine,
  type Affine2x3,
  type Point2,
} from '../src/index.js';

// Made by test/fixtures/data/make_warp.py (scipy.ndimage.affine_transform, skimage SimilarityTransform).
const golden = JSON.parse(readFileSync(new URL('./fixtures/data/warp.json', import.meta.url), 'utf8')) as {
  image: { shape: [number, number, number]; data: number[] };
  matrix: Affine2x3;
  outSize: [number, number];
  constant: { value: number; out: number[] };
  replicate: { out: number[] };
  similarity: { src: Point2[]; dst: Point2[]; matrix: Affine2x3 };
};

describeBackends(['cpu', 'wasm'], () => {
  describe('warpAffine', () => {
    const size = { height: golden.outSize[0], width: golden.outSize[1] };

    it('matches scipy bilinear (constant border)', () => {
      const im = tf.tensor3d(golden.image.data, golden.image.shape);
      const out = warpAffine(im, golden.matrix, { size, value: golden.constant.value });
      expect(out.shape).toEqual([size.height, size.width, 2]);
      expectClose(out.dataSync(), golden.constant.out, { atol: 1e-5 });
      tf.dispose([im, out]);
    });

    it('matches scipy bilinear (replicated border), batched', () => {
      const im = tf.tensor3d(golden.image.data, golden.image.shape);
      const batch = tf.stack([im, im]) as tf.Tensor4D;
      const out = warpAffine(batch, golden.matrix, { size, border: 'replicate' });
      expect(out.shape).toEqual([2, size.height, size.width, 2]);
      const half = golden.replicate.out.length;
      const d = out.dataSync();
      expectClose(d.subarray(0, half), golden.replicate.out, { atol: 1e-5 });
      expectClose(d.subarray(half), golden.replicate.out, { atol: 1e-5 });
      tf.dispose([im, batch, out]);
    });

    it('the identity keeps pixels; an integer shift moves them; int32 stays int32; no leaks', () => {
      const im = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32');
      const same = warpAffine(im, [[1, 0, 0], [0, 1, 0]]);
      expect(same.dtype).toBe('int32');
      expect(Array.from(same.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      const shifted = warpAffine(im, [[1, 0, 1], [0, 1, 0]], { value: 9 });
      expect(Array.from(shifted.dataSync())).toEqual([9, 1, 2, 9, 4, 5]);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) warpAffine(im, golden.matrix).dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([im, same, shifted]);
    });
  });
});

describe('estimateSimilarity', () => {
  it('matches skimage SimilarityTransform.estimate (Umeyama) on 68 noisy points', () => {
    const m = estimateSimilarity(golden.similarity.src, golden.similarity.dst);
    expectClose(m.flat(), golden.similarity.matrix.flat(), { atol: 1e-9 });
  });

  it('recovers an exact similarity and rejects degenerate input', () => {
    const src: Point2[] = [[0, 0], [10, 0], [3, 7]];
    const truth: Affine2x3 = [[0, -2, 5], [2, 0, 1]]; // 90° rotation, scale 2
    const m = estimateSimilarity(src, transformPoints(truth, src));
    expectClose(m.flat(), truth.flat(), { atol: 1e-12 });
    expect(() => estimateSimilarity([[1, 1], [1, 1]], [[0, 0], [1, 1]])).toThrow('source points all coincide');
    expect(() => estimateSimilarity([[1, 1]], [[0, 0], [1, 1]])).toThrow('1 source vs 2 target');
  });
});
