import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { readImage, writeVideo } from '@facelab/data';
import { createFaceDetector, type FaceDetector } from '@facelab/face-detect';
import { runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { createAffWildNet, predictVideoAffect } from '../src/index.js';

/** A real group photo shipped in @vladmandic/face-api's npm tarball (demo/sample3.jpg), a test fixture only. */
const photo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo', 'sample3.jpg');
const root = mkdtempSync(join(tmpdir(), 'affwildnet-video-'));
const video = join(root, 'pan.mp4');
const modelDir = join(root, 'model');
const FRAMES = 12;
/** Window offset of frame t: the camera pans right 6 px and down 2 px per frame. */
const offset = (t: number) => [6 * t, 2 * t];
let detector: FaceDetector;

beforeAll(async () => {
  await initBackend('wasm');
  detector = await createFaceDetector();
  // A 320 × 240 window panning over the photo's left face (at about x 515–876, y 295–656, scaled by 1/2).
  const image = await readImage(photo, { channels: 3 });
  const half = tf.tidy(() => tf.cast(tf.image.resizeBilinear(image, [675, 960]), 'int32') as tf.Tensor3D);
  image.dispose();
  const frames = Array.from({ length: FRAMES }, (_, t) => tf.slice(half, [100 + offset(t)[1]!, 180 + offset(t)[0]!, 0], [240, 320, 3]) as tf.Tensor3D);
  await writeVideo(video, frames, { fps: 10, crf: 12 });
  tf.dispose([half, ...frames]);
  // Untrained network at the released 96 × 96 frame size: shapes and formats, not valence/arousal accuracy.
  const model = createAffWildNet({ backbone: 'small', inputSize: 96, gruUnits: 4, fcUnits: 8 });
  await model.save(fileSystemIO(modelDir));
  model.dispose();
}, 60_000);

describe('predictVideoAffect', () => {
  it('tracks the face through a panning real video (box moves against the pan), one prediction per frame, no leaks', async () => {
    const model = await tf.loadLayersModel(fileSystemIO(modelDir));
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const r = await predictVideoAffect(model, detector, video, { length: 5, onFrame: (done) => progress.push(done) });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(r.fps).toBe(10);
    expect(r.frames).toHaveLength(FRAMES);
    expect(progress).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    expect(r.detected).toBe(FRAMES);
    r.frames.forEach((f, t) => {
      expect(f.frame).toBe(t);
      expect(f.time).toBeCloseTo(t / 10, 6);
      expect(Math.abs(f.valence!)).toBeLessThanOrEqual(1);
      expect(Math.abs(f.arousal!)).toBeLessThanOrEqual(1);
    });
    // In photo coordinates (box + window offset) the face stays put: within 4 px of frame 0's centre.
    const centre = (t: number) => {
      const b = r.frames[t]!.box!;
      return [b[0] + b[2] / 2 + offset(t)[0]!, b[1] + b[3] / 2 + offset(t)[1]!];
    };
    const c0 = centre(0);
    for (let t = 1; t < FRAMES; t++) expect(Math.hypot(centre(t)[0]! - c0[0]!, centre(t)[1]! - c0[1]!), `frame ${t}`).toBeLessThan(4);
  }, 60_000);
});

describe('facelab-affwildnet predict video.mp4', () => {
  const run = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'wasm']);

  it('writes the per-frame CSV and the PNG plot, with --json', async () => {
    const out = join(root, 'va.csv');
    const r = await run('predict', video, '--model', modelDir, '-o', out, '--length', '8', '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ video, fps: 10, frames: FRAMES, detected: FRAMES, out, plot: join(root, 'va.png') });
    expect(s.msPerFrame).toBeGreaterThan(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('frame,time,detected,x,y,width,height,valence,arousal');
    expect(lines).toHaveLength(FRAMES + 1);
    expect(lines[1]!.split(',')).toHaveLength(9);
    expect(readFileSync(join(root, 'va.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('names the problem: a video and --data, a missing video, an unreadable video, a video without faces', async () => {
    const both = await run('predict', video, '--data', video, '--model', modelDir, '-o', join(root, 'x.csv'));
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('predict: give a video or --data <csv>, not both or neither') });
    const missing = await run('predict', '/nonexistent/v.mp4', '--model', modelDir, '-o', join(root, 'x.csv'));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("predict: video '/nonexistent/v.mp4': no such file") });
    const garbage = join(root, 'garbage.mp4');
    writeFileSync(garbage, 'not a video'.repeat(50));
    const bad = await run('predict', garbage, '--model', modelDir, '-o', join(root, 'x.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(garbage);
    const grey = Array.from({ length: 3 }, () => tf.fill([64, 64, 3], 128, 'int32') as tf.Tensor3D);
    const empty = join(root, 'grey.mp4');
    await writeVideo(empty, grey, { fps: 5 });
    tf.dispose(grey);
    const none = await run('predict', empty, '--model', modelDir, '-o', join(root, 'grey.csv'), '--json');
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ frames: 3, detected: 0, plot: null });
    expect(readFileSync(join(root, 'grey.csv'), 'utf8').trim().split('\n')[1]).toBe('0,0,0,,,,,,');
    expect(existsSync(join(root, 'grey.png'))).toBe(false);
  }, 60_000);
});
