import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { estimateSimilarity, readImage, warpAffine, type Point2 } from '../src/index.js';

const photo = (name: string): string => fileURLToPath(new URL(`./fixtures/photos/${name}`, import.meta.url));
// PIL's decodes of the same files (fixtures/photos/make_photos_ref.py).
const ref = JSON.parse(readFileSync(photo('photos.json'), 'utf8')) as Record<
  string,
  { shape: number[]; mean: number[]; pixels: Record<string, number[]> }
>;

beforeAll(async () => {
  await initBackend('cpu');
});

describe('real photo fixtures', () => {
  it.each([
    ['astronaut.png', 0],
    ['grace_hopper.jpg', 1], // libjpeg IDCT variants may differ by a level
  ])('%s decodes like PIL', async (name, tol) => {
    const img = await readImage(photo(name));
    const r = ref[name]!;
    expect(img.shape).toEqual(r.shape);
    const mean = tf.tidy(() => img.toFloat().reshape([-1, 3]).mean(0).arraySync() as number[]);
    mean.forEach((m, c) => expect(Math.abs(m - r.mean[c]!)).toBeLessThanOrEqual(tol === 0 ? 1e-3 : 0.5));
    const px = img.arraySync();
    for (const [yx, rgb] of Object.entries(r.pixels)) {
      const [y, x] = yx.split(',').map(Number);
      rgb.forEach((v, c) => expect(Math.abs(px[y!]![x!]![c]! - v)).toBeLessThanOrEqual(tol));
    }
    img.dispose();
  });

  it('aligning a real face to a rotated copy of itself recovers the rotation', async () => {
    const img = await readImage(photo('grace_hopper.jpg'), { dtype: 'float32' });
    // Rotate 10° about the centre, then fit the similarity from four reference points and undo it.
    const th = (10 * Math.PI) / 180;
    const [c, s] = [Math.cos(th), Math.sin(th)];
    const m: [[number, number, number], [number, number, number]] = [
      [c, -s, 64 - 64 * c + 64 * s],
      [s, c, 64 - 64 * s - 64 * c],
    ];
    const rotated = warpAffine(img, m);
    const pts: Point2[] = [[40, 50], [88, 50], [64, 80], [64, 100]];
    const moved = pts.map(([x, y]) => [m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2]] as Point2);
    const back = warpAffine(rotated, estimateSimilarity(moved, pts));
    // Away from the borders lost to the rotation, the round trip reproduces the photo up to interpolation blur.
    const centreErr = (a: tf.Tensor3D): number =>
      tf.tidy(() => a.slice([32, 32, 0], [64, 64, 3]).sub(img.slice([32, 32, 0], [64, 64, 3])).abs().mean().dataSync()[0]!);
    expect(centreErr(back)).toBeLessThan(0.03);
    expect(centreErr(rotated)).toBeGreaterThan(3 * centreErr(back)); // the rotation itself is a large change
    tf.dispose([img, rotated, back]);
  });
});
