/** Test fixtures: a seeded texture translating by an integer step per frame, and a lossless video writer. */
import { spawnSync } from 'node:child_process';
import { Rng } from '@facelab/runtime';
import type { Frame } from '../src/index.js';

/** A seeded random texture of `w` × `h` × 3 values in [0, 1]. */
export function texture(w: number, h: number, seed: number, cell = 1): Float32Array {
  const rng = new Rng(seed);
  const cw = Math.ceil(w / cell);
  const cells = Float32Array.from({ length: cw * Math.ceil(h / cell) * 3 }, () => rng.uniform());
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = cells[(Math.floor(y / cell) * cw + Math.floor(x / cell)) * 3 + c]!;
    }
  }
  return out;
}

/**
 * `frames` frames of size × size cut from a larger texture (constant `cell` × `cell` blocks) that moves by `step` = [dx, dy] pixels per frame:
 * frame t at (x, y) is the texture at (x − t·dx + margin, y − t·dy + margin). Values float in [0, 1], or bytes.
 */
export function translatingClip(size: number, frames: number, step: readonly [number, number], seed = 1, bytes = false, cell = 1): Frame[] {
  const margin = frames * Math.max(Math.abs(step[0]), Math.abs(step[1])) + 1;
  const big = size + 2 * margin;
  const tex = texture(big, big, seed, cell);
  return Array.from({ length: frames }, (_, t) => {
    const data = bytes ? new Uint8Array(size * size * 3) : new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const xs = x - t * step[0] + margin;
        const ys = y - t * step[1] + margin;
        for (let c = 0; c < 3; c++) {
          const v = tex[(ys * big + xs) * 3 + c]!;
          data[(y * size + x) * 3 + c] = bytes ? Math.round(v * 255) : v;
        }
      }
    }
    return { data, width: size, height: size, channels: 3 };
  });
}

/** The largest |a − b| over pixels whose n-tap comb window of `step` lies inside the image. */
export function interiorMaxDiff(a: Float32Array, b: Float32Array, size: number, n: number, step: readonly [number, number]): { max: number; pixels: number } {
  const half = (n - 1) / 2;
  const mx = half * Math.abs(step[0]);
  const my = half * Math.abs(step[1]);
  let max = 0;
  let pixels = 0;
  for (let y = my; y < size - my; y++) {
    for (let x = mx; x < size - mx; x++) {
      pixels++;
      for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(a[(y * size + x) * 3 + c]! - b[(y * size + x) * 3 + c]!));
    }
  }
  return { max, pixels };
}

/** Writes byte frames losslessly (FFV1, RGB) with the system ffmpeg. */
export function writeLosslessVideo(path: string, frames: Frame[]): void {
  const { width, height } = frames[0]!;
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', '25', '-i', '-', '-c:v', 'ffv1', '-pix_fmt', 'bgr0', path],
    { input: Buffer.concat(frames.map((f) => Buffer.from(f.data as Uint8Array))) },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
}

