import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { Rng } from '@facelab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  corruptImage,
  imageFolderSource,
  loadBatch,
  memorySource,
  readIm2im,
  splitIm2im,
  toModelRange,
  toPixels,
  writeIm2im,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => (i * 7) % 256);

describe('corruptions', () => {
  it('sparse: each pixel dropped with probability dropRate, all channels together', () => {
    const s = 32;
    const out = corruptImage(new Float32Array(s * s * 3).fill(200), s, s, 3, { task: 'sparse', dropRate: 0.5 }, new Rng(1));
    let dropped = 0;
    for (let p = 0; p < s * s; p++) {
      const px = [out[p * 3]!, out[p * 3 + 1]!, out[p * 3 + 2]!];
      expect(px[0] === px[1] && px[1] === px[2]).toBe(true);
      if (px[0] === 0) dropped++;
    }
    // Binomial(1024, ½): mean 512, std 16.
    expect(Math.abs(dropped - 512)).toBeLessThan(64);
    // Same seed, same mask.
    expect(Array.from(corruptImage(new Float32Array(s * s * 3).fill(200), s, s, 3, { task: 'sparse' }, new Rng(1)))).toEqual(
      Array.from(out),
    );
  });

  it('denoise: a per-value mask, then Gaussian noise clipped to [0, 255]', () => {
    const s = 32;
    const masked = corruptImage(new Float32Array(s * s * 3).fill(100), s, s, 3, { task: 'denoise', dropRate: 0.5 }, new Rng(2));
    let mixed = 0;
    for (let p = 0; p < s * s; p++) if (new Set([masked[p * 3], masked[p * 3 + 1], masked[p * 3 + 2]]).size > 1) mixed++;
    expect(mixed).toBeGreaterThan(s * s * 0.5); // P(channels differ) = ¾
    const noisy = corruptImage(new Float32Array(s * s * 3).fill(100), s, s, 3, { task: 'denoise', dropRate: 0, noiseStd: 10 }, new Rng(3));
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const std = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    expect(mean).toBeCloseTo(100, 0);
    expect(std).toBeGreaterThan(9.5);
    expect(std).toBeLessThan(10.5);
  });

  it('superres ×4: 4×4 block means, repeated (hand-computed on a ramp)', () => {
    const img = Float32Array.from({ length: 8 * 8 }, (_, i) => i); // one channel, value = y·8 + x
    const out = corruptImage(img, 8, 8, 1, { task: 'superres' }, new Rng(0));
    // Block (0, 0): mean of y·8 + x over y, x < 4 = 8·1.5 + 1.5 = 13.5; block (1, 1): 13.5 + 36 = 49.5.
    expect(out[0]).toBe(13.5);
    expect(out[3 * 8 + 3]).toBe(13.5);
    expect(out[4 * 8 + 4]).toBe(49.5);
    expect(out[7 * 8 + 7]).toBe(49.5);
    expect(() => corruptImage(new Float32Array(6 * 6), 6, 6, 1, { task: 'superres' }, new Rng(0))).toThrow(
      /scale 4 does not divide the 6×6 image/,
    );
  });

  it('model range: v/128 − 1 (+ U[0, 1/128) dequantisation) and back to the same 8-bit values', () => {
    const v = ramp(300);
    const m = toModelRange(Float32Array.from(v));
    expect(m[1]).toBe(7 / 128 - 1);
    expect(Array.from(toPixels(m))).toEqual(Array.from(v));
    const dq = toModelRange(Float32Array.from(v), new Rng(4));
    dq.forEach((x, i) => {
      const d = x - (v[i]! / 128 - 1);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1 / 128 + 1e-7);
    });
    expect(Array.from(toPixels([-2, 1, 0.5]))).toEqual([0, 255, 192]);
  });
});

describe('im2im files and image folders', () => {
  it('writes input above target and reads them back; odd heights are an error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rocgan-im2im-'));
    const input = { data: Uint8Array.from(ramp(4 * 4 * 3)), width: 4, height: 4, channels: 3 };
    const target = { data: Uint8Array.from(ramp(4 * 4 * 3).reverse()), width: 4, height: 4, channels: 3 };
    await writeIm2im(join(dir, 'pair.png'), { input, target });
    const back = await readIm2im(join(dir, 'pair.png'));
    expect(Array.from(back.input.data)).toEqual(Array.from(input.data));
    expect(Array.from(back.target.data)).toEqual(Array.from(target.data));
    expect(() => splitIm2im({ data: new Uint8Array(4 * 5 * 3), width: 4, height: 5, channels: 3 }, 'odd.png')).toThrow(
      'odd.png: an im2im image stacks input above target, so its height must be even; got 4×5',
    );
    await writeFile(join(dir, 'odd.png'), await encodeImage({ data: new Uint8Array(4 * 5 * 3), width: 4, height: 5, channels: 3 }, 'png'));
    await expect(readIm2im(join(dir, 'odd.png'))).rejects.toThrow(`${join(dir, 'odd.png')}: an im2im image stacks input above target`);
  });

  it('folder sources: sorted files, per-file size and channel errors, empty folders refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rocgan-folder-'));
    const rgb = (s: number) => ({ data: Uint8Array.from(ramp(s * s * 3)), width: s, height: s, channels: 3 });
    await writeFile(join(dir, 'b.png'), await encodeImage(rgb(8), 'png'));
    await writeFile(join(dir, 'a.png'), await encodeImage(rgb(8), 'png'));
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    const src = await imageFolderSource(dir, { imageSize: 8 });
    expect([src.length, src.name(0), src.name(1)]).toEqual([2, 'a.png', 'b.png']);
    expect(Array.from((await src.load(0)).target)).toEqual(Array.from(rgb(8).data));

    await writeFile(join(dir, 'c.png'), await encodeImage(rgb(16), 'png'));
    await writeFile(join(dir, 'd.png'), await encodeImage({ data: new Uint8Array(64), width: 8, height: 8, channels: 1 }, 'png'));
    const bad = await imageFolderSource(dir, { imageSize: 8 });
    await expect(bad.load(2)).rejects.toThrow(`${join(dir, 'c.png')}: expected 8×8 pixels, got 16×16`);
    await expect(bad.load(3)).rejects.toThrow(`${join(dir, 'd.png')}: expected an RGB image (3 channels), got 1`);

    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(imageFolderSource(empty, { imageSize: 8 })).rejects.toThrow(`image folder '${empty}' has no .png/.jpg/.jpeg images`);
    await expect(imageFolderSource(join(dir, 'missing'), { imageSize: 8 })).rejects.toThrow(/cannot read image folder '.*missing'/);

    const pairs = await imageFolderSource(dir, { imageSize: 4, im2im: true });
    await expect(pairs.load(0)).rejects.toThrow(`${join(dir, 'a.png')} (top half): expected 4×4 pixels, got 8×4`);
  });

  it('loadBatch: corrupts unpaired targets, keeps paired inputs, leaves only its two tensors', async () => {
    const targets = [Uint8Array.from(ramp(4 * 4 * 3)), new Uint8Array(4 * 4 * 3).fill(255)];
    const before = tf.memory().numTensors;
    const { x, y } = await loadBatch(memorySource({ targets, imageSize: 4 }), [1, 0], new Rng(1), {
      corruption: { task: 'sparse', dropRate: 1 },
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(x.shape).toEqual([2, 4, 4, 3]);
    expect(Math.max(...x.dataSync())).toBe(-1); // everything dropped → 0 → −1
    expect(Array.from(toPixels(y.dataSync())).slice(0, 3)).toEqual([255, 255, 255]);
    tf.dispose([x, y]);
    const paired = memorySource({ targets, inputs: [targets[1]!, targets[0]!], imageSize: 4 });
    const b = await loadBatch(paired, [0], new Rng(1));
    expect(Array.from(toPixels(b.x.dataSync()))).toEqual(Array.from(targets[1]!));
    tf.dispose([b.x, b.y]);
    await expect(loadBatch(memorySource({ targets, imageSize: 4 }), [0], new Rng(1), { corruption: { task: 'im2im' } })).rejects.toThrow(
      "task 'im2im' needs a paired source (im2im files)",
    );
    expect(() => memorySource({ targets: [new Uint8Array(5)], imageSize: 4 })).toThrow(
      'memorySource: image 0 has 5 values, expected 4×4×3 = 48',
    );
  });
});
