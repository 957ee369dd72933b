import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@facelab/core-tensor';
import { warpAffine, type Affine2x3 } from '@facelab/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignFace, arcfaceTemplate, ARCFACE_TEMPLATE_112 } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// Made by test/golden/make_align_golden.py: insightface's estimate_norm (float32 template, size/112 or size/128 +
// 8·ratio x-shift) with Umeyama's fit in numpy.
interface AlignCase {
  size: number;
  landmarks: number[][];
  template: number[][];
  matrix: number[][];
  matrixFloat32: number[][];
}
const golden: { cases: AlignCase[] } = JSON.parse(readFileSync(new URL('./golden/align-golden.json', import.meta.url), 'utf8'));
const maxDiff = (a: number[][], b: readonly (readonly number[])[]) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i]![j]!))));

describe("alignFace against insightface's estimate_norm", () => {
  for (const size of [112, 128, 224, 256, 384]) {
    it(`${size}×${size}: template and matrices within 1e-6`, () => {
      const img = tf.zeros([8, 8, 3]) as tf.Tensor3D;
      for (const c of golden.cases.filter((g) => g.size === size)) {
        expect(arcfaceTemplate(size)).toEqual(c.template);
        const { image, matrix } = alignFace(img, c.landmarks, size);
        expect(maxDiff(c.matrix, matrix)).toBeLessThan(1e-6);
        // insightface run on float32 keypoints fits in float32: its matrices are within float32 round-off of these.
        expect(maxDiff(c.matrixFloat32, matrix)).toBeLessThan(1e-3);
        image.dispose();
      }
      img.dispose();
    });
  }

  it('128 and 256 use size/128 plus an x-shift of 8·ratio; scaled-112 restores size/112', () => {
    const f = Math.fround;
    expect(arcfaceTemplate(128)[0]).toEqual([f(f(38.2946) + 8), f(51.6963)]);
    expect(arcfaceTemplate(256)[2]).toEqual([f(f(f(56.0252) * 2) + 16), f(f(71.7366) * 2)]);
    expect(arcfaceTemplate(224)[1]).toEqual([f(f(73.5318) * 2), f(f(51.5014) * 2)]);
    expect(arcfaceTemplate(256, 'scaled-112')[0]).toEqual([(38.2946 * 256) / 112, (51.6963 * 256) / 112]);
    expect(arcfaceTemplate(56)[0]).toEqual([f(f(38.2946) * 0.5), f(f(51.6963) * 0.5)]); // neither: size/112
    expect(() => arcfaceTemplate(128, 'paper' as 'insightface')).toThrow(/scaling must be 'insightface' or 'scaled-112', got 'paper'/);
  });
});

describe('alignFace', () => {
  it('undoes a known similarity: matrix is its inverse and the crop matches the reference', () => {
    // A smooth reference crop (bilinear resampling errors stay small) placed into a 240×240 photo by a
    // similarity: scale 1.3, rotation 12°, translation (40, 25).
    const s = 1.3;
    const r = (12 * Math.PI) / 180;
    const [a, b] = [s * Math.cos(r), s * Math.sin(r)];
    const known: Affine2x3 = [
      [a, -b, 40],
      [b, a, 25],
    ];
    const ref = tf.tidy(() => {
      const y = tf.range(0, 112).reshape([112, 1, 1]).tile([1, 112, 1]);
      const x = tf.range(0, 112).reshape([1, 112, 1]).tile([112, 1, 1]);
      return tf.concat([x.mul(2), y.mul(2), x.add(y)], 2).toFloat() as tf.Tensor3D;
    });
    const photo = warpAffine(ref, known, { size: { width: 240, height: 240 } });
    const points = ARCFACE_TEMPLATE_112.map(([x, y]) => [a * x - b * y + 40, b * x + a * y + 25]);
    const { image, matrix } = alignFace(photo, points, 112, { templateScaling: 'scaled-112' });
    // matrix ∘ known = identity.
    const m = matrix;
    expect(m[0][0] * a + m[0][1] * b).toBeCloseTo(1, 9);
    expect(m[0][0] * -b + m[0][1] * a).toBeCloseTo(0, 9);
    expect(m[0][0] * 40 + m[0][1] * 25 + m[0][2]).toBeCloseTo(0, 8);
    expect(m[1][0] * 40 + m[1][1] * 25 + m[1][2]).toBeCloseTo(0, 8);
    // Interior pixels come back (the border of the reference went through zero padding).
    const diff = tf.tidy(() => tf.sub(image, ref).slice([4, 4, 0], [104, 104, 3]).abs().max().dataSync()[0]!);
    expect(diff).toBeLessThan(1e-2);
    expect(image.shape).toEqual([112, 112, 3]);
    // Scaled template for other sizes.
    const small = alignFace(photo, points, 56, { templateScaling: 'scaled-112' });
    expect(small.image.shape).toEqual([56, 56, 3]);
    expect(small.matrix[0][0]).toBeCloseTo(m[0][0] / 2, 9);
    tf.dispose([ref, photo, image, small.image]);
  });

  it('rejects bad landmarks and images with clear errors', () => {
    const img = tf.zeros([20, 20, 3]) as tf.Tensor3D;
    expect(() => alignFace(img, [[1, 2]])).toThrow(/fivePoints must be 5 finite \[x, y\] pairs/);
    expect(() => alignFace(img, [[1, 2], [3, 4], [5, 6], [7, 8], [9, NaN]])).toThrow(/fivePoints/);
    expect(() => alignFace(tf.zeros([2, 20, 20, 3]) as unknown as tf.Tensor3D, ARCFACE_TEMPLATE_112.map((p) => [...p]))).toThrow(
      /image must be \[height, width, channels\]/,
    );
    img.dispose();
  });
});
