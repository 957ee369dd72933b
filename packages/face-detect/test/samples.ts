/**
 * Real photographs used as test fixtures: the six group photos in @vladmandic/face-api's npm tarball
 * (demo/sample1–6.jpg, 1920 px wide), read from the installed package. Face counts were counted by eye.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');

/** Path of sample photo `i` (1–6). */
export const samplePhoto = (i: number): string => join(demo, `sample${i}.jpg`);

/** People (faces visible) in each sample photo, counted by eye. */
export const SAMPLE_FACES = [3, 3, 3, 4, 5, 4] as const;

/** The five ArcFace points from a synthetic face's 68 iBUG landmarks ([x0, y0, x1, y1, ...]): eye centres as the mean of the six eye points. */
export function fivePointsFromIbug(lm: ArrayLike<number>): [number, number][] {
  const p = (i: number): [number, number] => [lm[2 * i]!, lm[2 * i + 1]!];
  const mean = (ids: number[]): [number, number] => {
    const pts = ids.map(p);
    return [pts.reduce((a, q) => a + q[0], 0) / pts.length, pts.reduce((a, q) => a + q[1], 0) / pts.length];
  };
  return [mean([36, 37, 38, 39, 40, 41]), mean([42, 43, 44, 45, 46, 47]), p(30), p(48), p(54)];
}
