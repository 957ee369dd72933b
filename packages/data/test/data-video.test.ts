import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { env } from '@facelab/runtime';
import { readVideoFrames, videoInfo, writeVideo, type RawImage } from '../src/index.js';

let dir: string;
let clip: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'facelab-vid-'));
  clip = join(dir, 'testsrc.mp4');
  // An ffmpeg-made clip: 12 frames of the testsrc2 pattern at 10 fps, H.264.
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10', '-frames:v', '12',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
});

afterEach(() => {
  env.ffmpeg = 'ffmpeg';
});

function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)]).toString();
  return out.split('\n').filter((l) => l.includes('ffmpeg'));
}

describe('videoInfo / readVideoFrames', () => {
  it('probes an ffmpeg-made clip', async () => {
    expect(await videoInfo(clip)).toMatchObject({ width: 64, height: 48, fps: 10, frames: 12, codec: 'h264' });
  });

  it('yields exactly the rgb24 frames ffmpeg decodes, with index and time', async () => {
    const ref = execFileSync('ffmpeg', ['-v', 'error', '-i', clip, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const frames = [];
    for await (const f of readVideoFrames(clip)) frames.push(f);
    expect(frames.length).toBe(12);
    expect(frames.map((f) => f.time)).toEqual(Array.from({ length: 12 }, (_, i) => i / 10));
    const all = Buffer.concat(frames.map((f) => f.data));
    expect(all.equals(ref)).toBe(true);
    expect(frames[3]).toMatchObject({ width: 64, height: 48, channels: 3, index: 3 });
  });

  it('resamples the frame rate and scales', async () => {
    const frames = [];
    for await (const f of readVideoFrames(clip, { fps: 5, size: { width: 32, height: 24 } })) frames.push(f);
    expect(frames.length).toBe(6); // 1.2 s at 5 fps
    expect(frames.every((f) => f.width === 32 && f.height === 24 && f.data.length === 32 * 24 * 3)).toBe(true);
    expect(frames[2]!.time).toBeCloseTo(0.4, 10);
  });

  it('stopping early kills ffmpeg (a long clip, backpressure keeps it blocked)', async () => {
    const long = join(dir, 'long.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-frames:v', '60',
      '-c:v', 'libx264', '-preset', 'ultrafast', long]);
    let n = 0;
    for await (const f of readVideoFrames(long)) {
      expect(f.data.length).toBe(320 * 240 * 3);
      if (++n === 3) {
        expect(ffmpegChildren().length).toBe(1); // still running, blocked on the full pipe
        break;
      }
    }
    expect(ffmpegChildren()).toEqual([]);
  });

  it('names a missing file, a corrupt file, and a missing ffmpeg with the install command', async () => {
    await expect(videoInfo(join(dir, 'none.mp4'))).rejects.toThrow(`cannot read ${join(dir, 'none.mp4')}`);
    const junk = join(dir, 'junk.mp4');
    execFileSync('sh', ['-c', `head -c 5000 /dev/urandom > ${junk}`]);
    await expect(readVideoFrames(junk, { fps: 5, size: { width: 8, height: 8 } }).next()).rejects.toThrow(
      `readVideoFrames: ffmpeg failed on ${junk}`,
    );
    env.ffmpeg = join(dir, 'no-such-dir', 'ffmpeg');
    await expect(readVideoFrames(clip, { fps: 5, size: { width: 8, height: 8 } }).next()).rejects.toThrow(
      'apt-get install ffmpeg',
    );
    await expect(videoInfo(clip)).rejects.toThrow(/ffprobe not found.*apt-get install ffmpeg/);
  });

  it('a per-call ffmpeg option overrides env.ffmpeg, for this call only', async () => {
    const missing = join(dir, 'no-such-dir', 'ffmpeg');
    await expect(videoInfo(clip, { ffmpeg: missing })).rejects.toThrow(/ffprobe not found/);
    await expect(readVideoFrames(clip, { ffmpeg: missing }).next()).rejects.toThrow(/ffprobe not found/);
    await expect(readVideoFrames(clip, { ffmpeg: missing, fps: 5, size: { width: 8, height: 8 } }).next()).rejects.toThrow(
      /ffmpeg not found/,
    );
    const pixel: RawImage = { data: new Uint8Array(3), width: 1, height: 1, channels: 3 };
    await expect(writeVideo(join(dir, 'opt.gif'), [pixel], { ffmpeg: missing })).rejects.toThrow(/ffmpeg not found/);
    expect(await videoInfo(clip)).toMatchObject({ width: 64, height: 48 }); // env.ffmpeg untouched
    env.ffmpeg = missing;
    expect(await videoInfo(clip, { ffmpeg: 'ffmpeg' })).toMatchObject({ width: 64, height: 48, frames: 12 });
    const frames = [];
    for await (const f of readVideoFrames(clip, { ffmpeg: 'ffmpeg' })) frames.push(f);
    expect(frames.length).toBe(12);
    const out = join(dir, 'opt.mp4');
    expect(await writeVideo(out, frames.slice(0, 2), { fps: 10, ffmpeg: 'ffmpeg' })).toBe(2);
    expect(await videoInfo(out, { ffmpeg: 'ffmpeg' })).toMatchObject({ width: 64, height: 48, frames: 2 });
  });
});

describe('writeVideo', () => {
  const colours = [
    [255, 0, 0],
    [0, 200, 0],
    [0, 0, 255],
    [250, 250, 30],
  ];
  const solid = (rgb: number[], w: number, h: number): RawImage => ({
    data: Uint8Array.from({ length: w * h * 3 }, (_, i) => rgb[i % 3]!),
    width: w,
    height: h,
    channels: 3,
  });

  it('writes an mp4 that reads back with the frame count, rate and colours (odd size padded)', async () => {
    const p = join(dir, 'out.mp4');
    async function* frames(): AsyncGenerator<RawImage> {
      for (let i = 0; i < 8; i++) yield solid(colours[i % 4]!, 33, 17);
    }
    expect(await writeVideo(p, frames(), { fps: 8 })).toBe(8);
    expect(await videoInfo(p)).toMatchObject({ width: 34, height: 18, fps: 8, frames: 8 });
    let i = 0;
    for await (const f of readVideoFrames(p)) {
      const c = colours[i++ % 4]!;
      const centre = ((9 * 34) + 16) * 3;
      for (let k = 0; k < 3; k++) expect(Math.abs(f.data[centre + k]! - c[k]!)).toBeLessThanOrEqual(8);
    }
    expect(i).toBe(8);
  });

  it('writes a GIF from tensors (palette keeps flat colours exact) and leaves no temp files', async () => {
    const p = join(dir, 'out.gif');
    const ts = colours.map((c) => tf.tensor3d(Array.from(solid(c, 16, 16).data), [16, 16, 3], 'int32'));
    expect(await writeVideo(p, ts, { fps: 4 })).toBe(4);
    tf.dispose(ts);
    expect((await videoInfo(p)).frames).toBe(4); // GIF stores no frame count: counted packets
    const back = [];
    for await (const f of readVideoFrames(p)) back.push(Array.from(f.data.subarray(0, 3)));
    expect(back).toEqual(colours);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects mismatched frames and unknown extensions without leaving files', async () => {
    const p = join(dir, 'bad.mp4');
    await expect(writeVideo(p, [solid([1, 2, 3], 8, 8), solid([1, 2, 3], 10, 8)])).rejects.toThrow(
      'frame 1 is 10×8×3, frame 0 was 8×8×3',
    );
    expect((await readdir(dir)).filter((f) => f.includes('bad.mp4'))).toEqual([]);
    expect(ffmpegChildren()).toEqual([]);
    await expect(writeVideo(join(dir, 'x.avi'), [])).rejects.toThrow("use .mp4 or .gif");
  });
});
