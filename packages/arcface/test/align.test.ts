import { initBackend, tf } from '@facelab/core-tensor';
import { warpAffine, type Affine2x3 } from '@facelab/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignFace, ARCFACE_TEMPLATE_112 } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
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
    const { image, matrix } = alignFace(photo, points);
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
    const small = alignFace(photo, points, 56);
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
