import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeVideo } from '@facelab/data';
import { synthFace } from '@facelab/synth';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector, trackFaceBoxes, type FaceDetector } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'face-detect-video-'));
let detector: FaceDetector;

beforeAll(async () => {
  await initBackend('wasm');
  detector = await createFaceDetector();
}, 60_000);

describe('trackFaceBoxes', () => {
  it("follows a synthetic face moving 4 px right per frame with square boxes, and names a video without faces", async () => {
    const face = synthFace(2, { size: 160 });
    const tile = tf.tensor3d(Int32Array.from(face.image), [160, 160, 3], 'int32');
    const frames = Array.from({ length: 8 }, (_, t) => tf.pad(tile, [[48, 48], [16 + 4 * t, 80 - 4 * t], [0, 0]], 0) as tf.Tensor3D);
    const video = join(root, 'moving.mp4');
    await writeVideo(video, frames, { fps: 8, crf: 10 });
    tf.dispose([tile, ...frames]);
    const before = tf.memory().numTensors;
    const { boxes, detected } = await trackFaceBoxes(detector, video, { margin: 0.5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(detected).toBe(8);
    expect(boxes).toHaveLength(8);
    for (const [t, b] of boxes.entries()) {
      expect(b.width).toBe(b.height);
      // the box's centre moves with the face: 4 px per frame from frame 0's, within 2 px
      const dx = b.x + b.width / 2 - (boxes[0]!.x + boxes[0]!.width / 2);
      expect(Math.abs(dx - 4 * t), `frame ${t}`).toBeLessThan(2);
    }
    const grey = Array.from({ length: 3 }, () => tf.fill([64, 64, 3], 128, 'int32') as tf.Tensor3D);
    const empty = join(root, 'grey.mp4');
    await writeVideo(empty, grey, { fps: 5 });
    tf.dispose(grey);
    await expect(trackFaceBoxes(detector, empty)).rejects.toThrow(`no face found in ${empty}`);
    const garbage = join(root, 'garbage.mp4');
    writeFileSync(garbage, 'not a video'.repeat(40));
    await expect(trackFaceBoxes(detector, garbage)).rejects.toThrow(garbage);
  }, 60_000);
});
