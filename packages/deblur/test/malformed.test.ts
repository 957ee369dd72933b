import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { describeMalformed } from '@facelab/test-utils';
import { beforeAll } from 'vitest';
import {
  averageFrames,
  blurPairAt,
  blurPairs,
  createDeblurNet,
  denseRegSample,
  evaluateDeblur,
  fitDeblur,
  landmarkError,
  parseBlurRange,
  predictDeblur,
  readBlurPairs,
  readClipFrames,
} from '../src/index.js';
import { translatingClip } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

async function drain<T>(it: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

const dir = mkdtempSync(join(tmpdir(), 'deblur-malformed-'));
const garbage = join(dir, 'garbage.mp4');
writeFileSync(garbage, Buffer.from('this is not a video at all, just bytes'.repeat(20)));

describeMalformed(
  'deblur',
  [
    { name: 'n even', run: () => blurPairAt(translatingClip(8, 9, [1, 0]), 4, 6), error: 'n must be an odd positive integer' },
    { name: 'n even in a range', run: () => drain(blurPairs(translatingClip(8, 12, [1, 0]), { range: { min: 7, max: 10 } })), error: 'n: max must be an odd' },
    { name: 'range min above max', run: () => parseBlurRange('11-7', '--n'), error: '--n: min 11 is larger than max 7' },
    { name: 'n larger than the clip', run: () => averageFrames(translatingClip(8, 5, [1, 0]), 0, 7, 'clip.mkv'), error: 'n = 7 is larger than clip.mkv, which has 5 frames' },
    {
      name: 'streamed clip shorter than n',
      run: () => drain(blurPairs(translatingClip(8, 5, [1, 0]), { range: { min: 9, max: 9 }, source: 'short.mkv' })),
      error: 'n = 9 is larger than short.mkv, which has 5 frames',
    },
    {
      name: 'frames of different sizes',
      run: () => {
        const frames = translatingClip(16, 9, [1, 0]);
        frames[3] = translatingClip(8, 1, [0, 0])[0]!;
        return drain(blurPairs(frames, { range: { min: 5, max: 5 }, source: 'mixed.mkv' }));
      },
      error: 'frame 3 of mixed.mkv is 8×8×3, frame 0 is 16×16×3',
    },
    { name: 'frame data shorter than its size', run: () => averageFrames([{ data: new Float32Array(10), width: 4, height: 4, channels: 3 }], 0, 1, 'bad'), error: 'frame 0 of bad has 10 values for 4×4×3' },
    { name: 'missing video', run: () => drain(readClipFrames('/nonexistent/clip.mp4')), error: '/nonexistent/clip.mp4' },
    { name: 'unreadable video (garbage bytes)', run: () => drain(readClipFrames(garbage)), error: `cannot read the video ${garbage}` },
    {
      name: 'pair folder with a blurred image but no sharp namesake',
      run: async () => {
        const d = join(dir, 'pairs');
        mkdirSync(join(d, 'blurred'), { recursive: true });
        mkdirSync(join(d, 'sharp'), { recursive: true });
        writeFileSync(join(d, 'blurred', 'a.png'), await encodeImage({ data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, channels: 3 }, 'png'));
        return readBlurPairs(d);
      },
      error: join('sharp', 'a.png'),
    },
    {
      name: 'predict on images of another size',
      run: () => {
        const net = createDeblurNet({ imageSize: 16, filters: [4, 8] });
        const x = tf.zeros([1, 12, 12, 3]) as tf.Tensor4D;
        try {
          return predictDeblur(net, x);
        } finally {
          x.dispose();
          net.model.dispose();
        }
      },
      error: 'the network expects [N, 16, 16, 3]',
    },
    {
      name: 'landmark ground truth for fewer pairs than the data',
      run: () => {
        const im = new Float32Array(8 * 8 * 3);
        return evaluateDeblur({ data: { blurred: [im, im], sharp: [im, im], size: 8, channels: 3, names: ['a', 'b'] }, nets: {}, landmarks: { locate: () => [], truth: [new Float32Array(136)] } });
      },
      error: '1 landmark ground truths for 2 pairs',
    },
    { name: 'landmarks of the wrong length', run: () => landmarkError(new Float32Array(134), new Float32Array(136)), error: 'landmarks must be 68 points (136 values), got 134 predicted' },
    { name: 'fractional locator scale', run: () => denseRegSample(new Float32Array(8 * 8 * 3), 8, { scale: 1.5 }), error: 'scale must be a positive integer, got 1.5' },
    {
      name: 'joint identity training without an identity net',
      run: async () => {
        const net = createDeblurNet({ imageSize: 8, filters: [4] });
        const im = new Float32Array(8 * 8 * 3);
        try {
          return await fitDeblur({ net, data: { blurred: [im], sharp: [im], size: 8, channels: 3, names: ['a'] }, jointIdentity: { labels: [0] }, steps: 1, progress: false });
        } finally {
          net.model.dispose();
        }
      },
      error: 'jointIdentity needs an identity net',
    },
  ],
  { numTensors: () => tf.memory().numTensors },
);
