import { initBackend, tf } from '@facelab/core-tensor';
import { readImage } from '@facelab/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector, type DetectedFace } from '../src/index.js';
import { samplePhoto } from './samples.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const cosine = (a: number[], b: number[]) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    ab += x * b[i]!;
    aa += x * x;
    bb += b[i]! * b[i]!;
  });
  return ab / Math.sqrt(aa * bb);
};

describe('descriptor: Human faceres', () => {
  it("matches each real face to its own mirror image rather than to the photo's other people", async () => {
    const detector = await createFaceDetector({ descriptor: true });
    const image = await readImage(samplePhoto(4), { channels: 3 });
    const mirror = tf.reverse(image, 1) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const faces = await detector.detect(image);
    const mirrored = await detector.detect(mirror);
    expect(tf.memory().numTensors).toBe(before);
    const W = image.shape[1];
    tf.dispose([image, mirror]);
    expect(faces).toHaveLength(4);
    expect(mirrored).toHaveLength(4);
    for (const f of faces) expect(f.descriptor).toHaveLength(1024);
    // The mirror of face f sits at x' = W − x − w; its descriptor must be f's nearest by cosine.
    const centre = (g: DetectedFace, flip: boolean) => (flip ? W - (g.box[0] + g.box[2] / 2) : g.box[0] + g.box[2] / 2);
    for (const m of mirrored) {
      const own = faces.reduce((best, f) => (Math.abs(centre(f, false) - centre(m, true)) < Math.abs(centre(best, false) - centre(m, true)) ? f : best));
      const sims = faces.map((f) => cosine(m.descriptor!, f.descriptor!));
      expect(Math.max(...sims)).toBe(cosine(m.descriptor!, own.descriptor!));
    }
  }, 60_000);
});
