/**
 * Data: 16-bit U-V PNGs round-trip to 1/65534; a sample folder written and read back is the same sample
 * (.pts 1-based on disk); bad input fails with one line naming the file or argument: a .pts with the wrong
 * point count, a U map of another size than its image, non-finite or inconsistent U-V.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSample,
  decodeUVPng,
  encodeUVPng,
  readDenseRegFolder,
  writeDenseRegSample,
  writeUVPng,
  type DenseRegSample,
} from '../src/index.js';
import { synthSample } from '../demo/synthetic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'densereg-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('U-V PNG', () => {
  it('round-trips values and background on a non-square map', () => {
    const map = Float32Array.from({ length: 7 * 3 }, (_, i) => (i % 5 === 0 ? -1 : (i * 0.0473) % 1));
    map[1] = 0;
    map[2] = 1;
    const back = decodeUVPng(encodeUVPng(map, 7, 3));
    expect([back.width, back.height]).toEqual([7, 3]);
    back.map.forEach((x, i) => expect(Math.abs(x - map[i]!)).toBeLessThanOrEqual(0.5 / 65534 + 1e-7));
  });

  it('refuses out-of-range values and non-U-V PNGs', () => {
    expect(() => encodeUVPng([0.5, Number.NaN], 2, 1)).toThrow(/value at \(1, 0\) must be in \[0, 1\] or −1, got NaN/);
    expect(() => decodeUVPng(new Uint8Array([1, 2, 3]), 'x.u.png')).toThrow(/x\.u\.png: not a PNG/);
  });
});

describe('sample folders', () => {
  it('write → read gives the same image, maps and landmarks', async () => {
    const s = synthSample(3, { size: 40 });
    await writeDenseRegSample(dir, s, 'face');
    const [back] = await readDenseRegFolder(dir);
    expect(back!.name).toBe('face');
    expect(Array.from(back!.image)).toEqual(Array.from(s.image));
    back!.u!.forEach((x, i) => expect(Math.abs(x - s.u![i]!)).toBeLessThan(1e-4));
    back!.landmarks!.forEach((x, i) => expect(x).toBeCloseTo(s.landmarks![i]!, 3));
  });

  it('a .pts with the wrong point count names the file', async () => {
    const d = await mkdtemp(join(dir, 'pts-'));
    const s = synthSample(4, { size: 32 });
    await writeDenseRegSample(d, { ...s, u: undefined, v: undefined }, 'a');
    await writeFile(join(d, 'a.pts'), 'version: 1\nn_points: 2\n{\n1 2\n3 4\n}\n');
    await expect(readDenseRegFolder(d)).rejects.toThrow(/a\.pts: expected 68 landmarks \(iBUG\), got 2/);
  });

  it('a U map whose size differs from the image names both files', async () => {
    const d = await mkdtemp(join(dir, 'size-'));
    const s = synthSample(5, { size: 32 });
    await writeDenseRegSample(d, s, 'b');
    await writeUVPng(join(d, 'b.u.png'), new Float32Array(31 * 32).fill(-1), 31, 32);
    await expect(readDenseRegFolder(d)).rejects.toThrow(/b\.u\.png: map is 31×32 but the image .*b\.png is 32×32/);
  });

  it('checkSample names the sample and the problem: non-finite, mismatched masks, wrong sizes', () => {
    const s = synthSample(6, { size: 24 });
    const bad = (patch: Partial<DenseRegSample>) => () => checkSample({ ...s, ...patch });
    const u = s.u!.slice();
    u[u.findIndex((x) => x >= 0)] = Number.POSITIVE_INFINITY;
    expect(bad({ u })).toThrow(/sample 'synth-6': U-V at pixel .* is not finite/);
    const v = s.v!.slice();
    v[s.u!.findIndex((x) => x >= 0)] = -1;
    expect(bad({ v })).toThrow(/U and V masks differ at pixel/);
    expect(bad({ u: new Float32Array(10) })).toThrow(/u map has 10 values but the image is 24×24/);
    expect(bad({ landmarks: new Float32Array(10) })).toThrow(/landmarks must be 68 points \(136 values\), got 5/);
  });
});
