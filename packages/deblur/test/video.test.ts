import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { expectClose } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurPairs, readClipFrames, videoBlurPairs, type BlurPair } from '../src/index.js';
import { translatingClip, writeLosslessVideo } from './helpers.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'deblur-video-'));
const frames = translatingClip(32, 17, [2, 1], 11, true);
const video = join(dir, 'moving.mkv');

beforeAll(async () => {
  await initBackend('wasm');
  writeLosslessVideo(video, frames);
});

describe('the video path', () => {
  it('decodes the lossless clip to the frames written', async () => {
    const decoded = await all(readClipFrames(video));
    expect(decoded.length).toBe(17);
    decoded.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(frames[i]!.data as Uint8Array))).toBe(true));
  });

  it('gives the same blurred frames as the synthetic path (same seed, same n draws)', async () => {
    const options = { range: { min: 5, max: 9 }, seed: 3, stride: 2 };
    const before = tf.memory().numTensors;
    const fromVideo: BlurPair[] = await videoBlurPairs(video, options).toArray();
    expect(tf.memory().numTensors).toBe(before);
    const synthetic = await all(blurPairs(frames, options));
    expect(fromVideo.length).toBe(synthetic.length);
    expect(fromVideo.length).toBeGreaterThan(3);
    fromVideo.forEach((p, i) => {
      expect([p.centre, p.n]).toEqual([synthetic[i]!.centre, synthetic[i]!.n]);
      expectClose(p.blurred, synthetic[i]!.blurred, { atol: 1e-7 });
      expectClose(p.sharp, synthetic[i]!.sharp, { atol: 0 });
    });
  });

  it('crops a fixed face box from every frame', async () => {
    const box = { x: 4, y: 6, width: 16, height: 16 };
    const crops = await all(readClipFrames(video, { box }));
    const f = frames[5]!;
    const c = crops[5]!;
    expect([c.width, c.height]).toEqual([16, 16]);
    for (const [x, y] of [[0, 0], [7, 9], [15, 15]] as const) {
      for (let ch = 0; ch < 3; ch++) expect(c.data[(y * 16 + x) * 3 + ch]).toBe(f.data[((y + 6) * 32 + x + 4) * 3 + ch]);
    }
  });
});
