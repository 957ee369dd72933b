/**
 * Malformed-input corpus of the ffmpeg video readers and writer: bad sizes, frame rates and pixel caps, files
 * that are not videos or are cut short, and file names that look like ffmpeg options or protocols.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { readVideoFrames, videoInfo, writeVideo, type ReadVideoOptions, type VideoInfo } from '../src/index.js';

let dir = '';
let clip = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'malformed-video-'));
  clip = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=16x12:rate=5:duration=1', '-pix_fmt', 'yuv420p', clip]);
  await copyFile(clip, join(dir, '-version'));
  await copyFile(clip, join(dir, 'concat:clip.mp4'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Counts the frames readVideoFrames yields for `options`. */
async function count(path: string, options: ReadVideoOptions): Promise<number> {
  let n = 0;
  for await (const _ of readVideoFrames(path, options)) n++;
  return n;
}

/** Runs `f` with the working directory `dir`, so a relative file name reaches ffmpeg as written. */
async function inDir<T>(f: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await f();
  } finally {
    process.chdir(cwd);
  }
}

const sizes: [number, number][] = [[0, 0], [0, 12], [16, 0], [-16, 12], [16.5, 12], [NaN, 12], [16, Infinity], [100_000, 100_000], [65_536, 1025]];
const options: MalformedCase[] = [
  ...sizes.map(([width, height]) => ({
    name: `size ${width}×${height}`,
    run: () => count(clip, { size: { width, height } }),
    error: /readVideoFrames: size: frame size (must be positive integers|.* is more than maxPixels)/,
  })),
  ...[0, -5, NaN, Infinity, 1e6, 1001].map((fps) => ({
    name: `fps ${fps}`,
    run: () => count(clip, { fps }),
    error: `readVideoFrames: fps must be a number in (0, 1000], got ${fps}`,
  })),
  ...[0, -1, 2.5, NaN].map((maxPixels) => ({
    name: `maxPixels ${maxPixels}`,
    run: () => count(clip, { maxPixels }),
    error: `readVideoFrames: maxPixels must be a positive integer or Infinity, got ${maxPixels}`,
  })),
  { name: 'stored frames above maxPixels', run: () => count(clip, { maxPixels: 100 }), error: `readVideoFrames: ${join(tmpdir())}` },
  { name: 'requested size above maxPixels', run: () => count(clip, { size: { width: 20, height: 20 }, maxPixels: 399 }), error: 'frame size 20×20 is more than maxPixels 399' },
  { name: 'size 1×1 and fps 1000 read', run: () => count(clip, { size: { width: 1, height: 1 }, fps: 1000 }), ok: (n) => expect(n).toBeGreaterThan(100) },
  { name: 'fps 0.5 read', run: () => count(clip, { fps: 0.5 }), ok: (n) => expect(n).toBe(1) },
];

const files: MalformedCase[] = [
  { name: 'missing file (videoInfo)', run: () => videoInfo(join(dir, 'absent.mp4')), error: 'videoInfo: cannot read' },
  { name: 'missing file (readVideoFrames)', run: () => count(join(dir, 'absent.mp4'), {}), error: 'readVideoFrames: cannot read' },
  {
    name: 'a text file',
    run: async () => (await writeFile(join(dir, 'text.mp4'), 'not a video\n'), videoInfo(join(dir, 'text.mp4'))),
    error: /videoInfo: ffprobe failed on .*text\.mp4/,
  },
  {
    name: 'an empty file',
    run: async () => (await writeFile(join(dir, 'empty.mp4'), ''), count(join(dir, 'empty.mp4'), {})),
    error: /ffprobe failed on .*empty\.mp4/,
  },
  ...[16, 48, 200].map((cut) => ({
    name: `mp4 truncated to ${cut} bytes`,
    run: async () => {
      const path = join(dir, `cut${cut}.mp4`);
      await writeFile(path, (await readFile(clip)).subarray(0, cut));
      return count(path, {});
    },
    error: `cut${cut}.mp4`,
  })),
  {
    name: "a file named '-version' is a file, not an option (videoInfo)",
    run: () => inDir(() => videoInfo('-version')),
    ok: (info) => expect((info as VideoInfo).width).toBe(16),
  },
  { name: "a file named '-version' is a file (readVideoFrames)", run: () => inDir(() => count('-version', {})), ok: (n) => expect(n).toBe(5) },
  { name: "a file named 'concat:clip.mp4' is a file, not a protocol", run: () => inDir(() => count('concat:clip.mp4', { fps: 5 })), ok: (n) => expect(n).toBe(5) },
  {
    name: "writeVideo to a file named '-y.mp4'",
    run: () => inDir(() => writeVideo('-y.mp4', [{ data: new Uint8Array(12), width: 2, height: 2, channels: 3 }])),
    ok: (n) => expect(n).toBe(1),
  },
];

const frame = { data: new Uint8Array(12), width: 2, height: 2, channels: 3 };
const writes: MalformedCase[] = [
  ...[0, -1, NaN, Infinity, 5000].map((fps) => ({ name: `writeVideo fps ${fps}`, run: () => writeVideo(join(dir, 'w.mp4'), [frame], { fps }), error: `writeVideo: fps must be a number in (0, 1000], got ${fps}` })),
  ...[-1, 52, 2.5, NaN].map((crf) => ({ name: `writeVideo crf ${crf}`, run: () => writeVideo(join(dir, 'w.mp4'), [frame], { crf }), error: `writeVideo: crf must be an integer in [0, 51], got ${crf}` })),
  { name: 'writeVideo .avi', run: () => writeVideo(join(dir, 'w.avi'), [frame]), error: "cannot tell the format of '" },
  { name: 'writeVideo no frames', run: () => writeVideo(join(dir, 'w.mp4'), []), error: 'writeVideo: no frames for' },
  { name: 'writeVideo 2 channels', run: () => writeVideo(join(dir, 'w.mp4'), [{ ...frame, data: new Uint8Array(8), channels: 2 }]), error: 'frames need 1, 3 or 4 channels, got 2' },
  { name: 'writeVideo frame sizes differ', run: () => writeVideo(join(dir, 'w.mp4'), [frame, { ...frame, width: 1, data: new Uint8Array(6) }]), error: 'frame 1 is 1×2×3, frame 0 was 2×2×3' },
  { name: 'writeVideo too few bytes', run: () => writeVideo(join(dir, 'w.mp4'), [{ ...frame, data: new Uint8Array(5) }]), error: 'frame 0 has 5 bytes for 2×2×3' },
];

describeMalformed('data video options', options);
describeMalformed('data video files', files);
describeMalformed('data video writer', writes);
