import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeVideo } from '@facelab/data';
import { synthFace } from '@facelab/synth';
import { runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { readImageFloat } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'deblur-detect-'));
const video = join(root, 'face.mp4');
const run = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'wasm']);

beforeAll(async () => {
  await initBackend('wasm');
  // A synthetic face moving 3 px right per frame in a 224 × 224 frame.
  const tile = tf.tensor3d(Int32Array.from(synthFace(4, { size: 128 }).image), [128, 128, 3], 'int32');
  const frames = Array.from({ length: 9 }, (_, t) => tf.pad(tile, [[48, 48], [24 + 3 * t, 72 - 3 * t], [0, 0]], 0) as tf.Tensor3D);
  await writeVideo(video, frames, { fps: 9, crf: 10 });
  tf.dispose([tile, ...frames]);
});

describe('facelab-deblur synth --detect', () => {
  it('crops the detected, tracked face of every frame (square boxes), and refuses --detect with --box', async () => {
    const out = join(root, 'pairs');
    const r = await run('synth', video, '--detect', '--n', '5', '--size', '64', '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).pairs).toBe(5); // centres 2..6 of 9 frames with n = 5
    expect(readFileSync(join(out, 'pairs.csv'), 'utf8').split('\n')[0]).toBe('name,n,centre');
    const crop = await readImageFloat(join(out, 'sharp', '00001.png'));
    expect([crop.width, crop.height]).toEqual([64, 64]);
    const both = await run('synth', video, '--detect', '--box', '0,0,8,8', '-o', join(root, 'x'));
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('--detect finds the boxes: give it without --box / --boxes') });
  }, 60_000);
});
