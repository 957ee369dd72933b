import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import {
  cropToBox,
  decodeImage,
  encodeImage,
  imageGrid,
  readImage,
  resizeImage,
  writeImage,
} from '../src/index.js';
import { Rng } from '@facelab/runtime';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'facelab-img-'));
});

function noise(h: number, w: number, c: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: h * w * c }, () => rng.int(256));
}

describe('readImage / writeImage', () => {
  it('PNG round trip is exact for uint8 and float32 tensors, grey, RGB and RGBA', async () => {
    for (const c of [1, 3, 4]) {
      const px = noise(7, 5, c, c);
      const t = tf.tensor3d(Int32Array.from(px), [7, 5, c], 'int32');
      const p = join(dir, `rt${c}.png`);
      await writeImage(p, t);
      const back = await readImage(p);
      expect(back.shape).toEqual([7, 5, c]);
      expect(Array.from(back.dataSync())).toEqual(Array.from(px));
      const f = await readImage(p, { dtype: 'float32' });
      expect(f.dtype).toBe('float32');
      await writeImage(join(dir, `rtf${c}.png`), f);
      const back2 = await decodeImage(join(dir, `rtf${c}.png`));
      expect(Array.from(back2.data)).toEqual(Array.from(px));
      tf.dispose([t, back, f]);
    }
  });

  it('reads a sharp-made PNG and JPEG (4:4:4, q100) to the pixels sharp encoded', async () => {
    const px = noise(16, 12, 3, 9);
    const raw = { raw: { width: 12, height: 16, channels: 3 as const } };
    const png = await sharp(Buffer.from(px), raw).png().toBuffer();
    const img = await readImage(new Uint8Array(png));
    expect(Array.from(img.dataSync())).toEqual(Array.from(px));
    // A smooth gradient survives JPEG almost unchanged: a decode error would show as large differences.
    const grad = Uint8Array.from({ length: 16 * 12 * 3 }, (_, i) => (Math.floor(i / 36) * 12 + (i % 3) * 40) % 256);
    const jpg = await sharp(Buffer.from(grad), raw).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    const j = await readImage(new Uint8Array(jpg), { dtype: 'float32' });
    const d = j.dataSync();
    let maxErr = 0;
    grad.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(d[i]! * 255 - v))));
    expect(maxErr).toBeLessThanOrEqual(3);
    tf.dispose([img, j]);
  });

  it('reads an ffmpeg-made PNG to exactly the pixels ffmpeg decodes', async () => {
    const p = join(dir, 'ff.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=40x24:rate=1', '-frames:v', '1', p]);
    const ref = execFileSync('ffmpeg', ['-v', 'error', '-i', p, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const img = await readImage(p);
    expect(img.shape).toEqual([24, 40, 3]);
    expect(Array.from(img.dataSync())).toEqual(Array.from(ref));
    img.dispose();
  });

  it('writes JPEG by extension and names unknown extensions and undecodable files', async () => {
    const t = tf.fill([8, 8, 3], 128, 'int32') as tf.Tensor3D;
    const p = join(dir, 'g.jpg');
    await writeImage(p, t);
    expect((await readFile(p)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    await expect(writeImage(join(dir, 'g.bmp'), t)).rejects.toThrow("g.bmp': use .png, .jpg or .jpeg");
    await expect(readImage(join(dir, 'missing.png'))).rejects.toThrow('missing.png');
    await expect(
      writeImage(join(dir, 'x.png'), { data: new Uint8Array(5), width: 2, height: 2, channels: 3 }),
    ).rejects.toThrow('2×2×3 does not match its 5 bytes');
    t.dispose();
  });
});

describe('resize, crop, grid', () => {
  it('resizeImage is half-pixel bilinear (hand-computed 2×2 → 4×4)', () => {
    const t = tf.tensor3d([0, 40, 80, 120], [2, 2, 1], 'float32');
    const r = resizeImage(t, { width: 4, height: 4 });
    // Output x = 0..3 maps to source (x + .5)/2 − .5 = −.25, .25, .75, 1.25 → clamped to 0, .25, .75, 1.
    const row0 = [0, 10, 30, 40];
    const row1 = row0.map((v) => v + 80 * 0.25);
    expect(Array.from(r.dataSync())).toEqual([...row0, ...row1, ...row1.map((v) => v + 40), ...row0.map((v) => v + 80)]);
    const u = resizeImage(tf.tensor3d([0, 255, 255, 0], [2, 2, 1], 'int32'), { width: 4, height: 4 });
    expect(u.dtype).toBe('int32');
    expect(u.dataSync()[1]).toBe(64); // 0.75·0·0.75… = 63.75 rounded
    tf.dispose([t, r, u]);
  });

  it('cropToBox crops and pads outside the image with the fill value', () => {
    const t = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32');
    const c = cropToBox(t, { x: 1, y: -1, width: 3, height: 2 }, 9);
    expect(c.shape).toEqual([2, 3, 1]);
    expect(Array.from(c.dataSync())).toEqual([9, 9, 9, 2, 3, 9]);
    tf.dispose([t, c]);
  });

  it('imageGrid tiles row-major with padding and broadcasts grey', () => {
    const a = tf.fill([1, 1, 3], 10, 'int32') as tf.Tensor3D;
    const b = tf.fill([1, 1, 1], 20, 'int32') as tf.Tensor3D;
    const c = tf.fill([1, 1, 3], 30, 'int32') as tf.Tensor3D;
    const g = imageGrid([a, b, c], { cols: 2, pad: 1, background: 0 });
    expect(g.shape).toEqual([5, 5, 3]);
    const v = g.arraySync() as number[][][];
    expect([v[1]![1]![0], v[1]![3]![2], v[3]![1]![1], v[3]![3]![0], v[0]![0]![0]]).toEqual([10, 20, 30, 0, 0]);
    tf.dispose([a, b, c, g]);
  });

  it('leaks no tensors over 50 calls', async () => {
    const t = tf.tensor3d(Int32Array.from(noise(6, 6, 3, 1)), [6, 6, 3], 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      tf.dispose([resizeImage(t, { width: 3, height: 4 }), cropToBox(t, { x: -1, y: 2, width: 4, height: 4 }), imageGrid([t, t])]);
    }
    // Readers return exactly one tensor (the caller's); encoders read tensors without making any.
    const png = await encodeImage(t, 'png');
    for (let i = 0; i < 50; i++) {
      (await readImage(png, { dtype: i % 2 ? 'float32' : 'uint8' })).dispose();
      await encodeImage(t, 'jpeg');
    }
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});
