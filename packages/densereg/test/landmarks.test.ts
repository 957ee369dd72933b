/**
 * By-products of U-V against analytic answers: on an affine U-V field the landmarks from U-V are the
 * analytic inverse of the template points (to a pixel); the template estimated from that field is the
 * field at the landmarks; part segmentation reads the part map at (û, v̂).
 */
import { describe, expect, it } from 'vitest';
import { estimateLandmarkTemplate, landmarksFromUV, partSegmentation, templatePartMap, type UVMaps } from '../src/index.js';

// u = a·x + b·y + c, v = d·x + e·y + f on a non-square image, background outside an ellipse.
const [W, H] = [61, 47];
const A = { a: 0.012, b: 0.003, c: 0.1, d: -0.002, e: 0.015, f: 0.12 };
const inside = (x: number, y: number) => ((x - 30) / 29) ** 2 + ((y - 23) / 22) ** 2 <= 1;
function affineField(): UVMaps {
  const u = new Float32Array(W * H).fill(-1);
  const v = new Float32Array(W * H).fill(-1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!inside(x, y)) continue;
      u[y * W + x] = A.a * x + A.b * y + A.c;
      v[y * W + x] = A.d * x + A.e * y + A.f;
    }
  }
  return { width: W, height: H, u, v };
}

/** (x, y) with u(x, y) = tu, v(x, y) = tv: the 2×2 inverse. */
function inverse(tu: number, tv: number): [number, number] {
  const det = A.a * A.e - A.b * A.d;
  const du = tu - A.c;
  const dv = tv - A.f;
  return [(A.e * du - A.b * dv) / det, (A.a * dv - A.d * du) / det];
}

describe('landmarks from U-V', () => {
  it('returns the analytic inverse points of an affine field to a pixel', () => {
    const maps = affineField();
    // 68 template points at non-integer positions inside the ellipse.
    const truth = Array.from(
      { length: 68 },
      (_, k) => [30 + 20 * Math.cos(k * 0.7) * (0.3 + (k % 5) / 7), 23 + 15 * Math.sin(k * 0.7) * (0.3 + (k % 3) / 4)] as const
    );
    const template = Float32Array.from(truth.flatMap(([x, y]) => [A.a * x + A.b * y + A.c, A.d * x + A.e * y + A.f]));
    const found = landmarksFromUV(maps, template);
    for (let k = 0; k < 68; k++) {
      const [ix, iy] = inverse(template[2 * k]!, template[2 * k + 1]!);
      expect(Math.abs(found[2 * k]! - ix)).toBeLessThanOrEqual(1);
      expect(Math.abs(found[2 * k + 1]! - iy)).toBeLessThanOrEqual(1);
      expect(inside(found[2 * k]!, found[2 * k + 1]!)).toBe(true);
    }
  });

  it('never picks a background pixel, and gives NaN when nothing is foreground', () => {
    const maps = affineField();
    const far = Float32Array.from({ length: 136 }, () => 0); // (u, v) = (0, 0): below the field, nearest at the ellipse edge
    const found = landmarksFromUV(maps, far);
    expect(inside(found[0]!, found[1]!)).toBe(true);
    const empty = { ...maps, u: new Float32Array(W * H).fill(-1), v: new Float32Array(W * H).fill(-1) };
    expect(Number.isNaN(landmarksFromUV(empty, far)[0])).toBe(true);
  });

  it('estimates the template as the ground-truth U-V at integer landmark positions', () => {
    const maps = affineField();
    const pts = Array.from({ length: 68 }, (_, k) => [20 + (k % 17), 15 + Math.floor(k / 17) * 4] as const);
    const sample = {
      width: W,
      height: H,
      image: new Uint8Array(W * H * 3),
      u: maps.u,
      v: maps.v,
      landmarks: Float32Array.from(pts.flat()),
    };
    const template = estimateLandmarkTemplate([sample, sample]);
    pts.forEach(([x, y], k) => {
      expect(template[2 * k]).toBeCloseTo(A.a * x + A.b * y + A.c, 6);
      expect(template[2 * k + 1]).toBeCloseTo(A.d * x + A.e * y + A.f, 6);
    });
  });
});

describe('part segmentation by template remap', () => {
  it('labels each foreground pixel with the group of its nearest template landmark, background 0', () => {
    const template = new Float32Array(136);
    for (let k = 0; k < 68; k++) {
      // jaw on the left column of u, everything else on the right: the map splits at u = 0.5
      template[2 * k] = k <= 16 ? 0.1 : 0.9;
      template[2 * k + 1] = 0.5;
    }
    const parts = templatePartMap(template, 21);
    const maps: UVMaps = { width: 3, height: 1, u: Float32Array.from([0.2, 0.8, -1]), v: Float32Array.from([0.5, 0.5, -1]) };
    expect(Array.from(partSegmentation(maps, parts))).toEqual([1, 2, 0]);
  });
});
