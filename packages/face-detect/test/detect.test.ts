import { initBackend, tf } from '@facelab/core-tensor';
import { readImage } from '@facelab/data';
import { synthFace } from '@facelab/synth';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector, IBUG68_MIRROR, MESH_TO_IBUG68, type FaceDetector } from '../src/index.js';
import { SAMPLE_FACES, fivePointsFromIbug, samplePhoto } from './samples.js';

const warnings: string[] = [];
let detector: FaceDetector;
let modelTensors = 0;

beforeAll(async () => {
  await initBackend('wasm');
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  const before = tf.memory().numTensors;
  try {
    detector = await createFaceDetector();
    modelTensors = tf.memory().numTensors - before;
  } finally {
    console.warn = warn;
  }
}, 60_000);

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('createFaceDetector', () => {
  it("loads Human from the installed package onto facelab's one tfjs engine: no duplicate registrations, no network", () => {
    expect(detector.info.backend).toBe('wasm');
    expect(detector.info.humanVersion).toBe('3.3.6');
    expect(detector.info.models).toMatch(/@vladmandic[/\\]human[/\\]models$/);
    expect(warnings.filter((w) => /already (been )?(set|registered)|Platform/.test(w))).toEqual([]);
    // Human's model weights live in facelab's engine: its tf is ours (a second tfjs-core would count them elsewhere).
    expect(modelTensors).toBeGreaterThan(100);
  });

  it('finds every face in six real group photos (22 people counted by eye), with sane geometry and no leaked tensors', async () => {
    for (const [k, expected] of SAMPLE_FACES.entries()) {
      const image = await readImage(samplePhoto(k + 1), { channels: 3 });
      const before = tf.memory().numTensors;
      const faces = await detector.detect(image);
      expect(tf.memory().numTensors).toBe(before);
      expect(faces, `sample${k + 1}.jpg`).toHaveLength(expected);
      const [H, W] = image.shape;
      image.dispose();
      for (const f of faces) {
        const [x, y, w, h] = f.box;
        expect(w).toBeGreaterThan(200); // faces are 270–410 px wide in these photos
        expect(x + w / 2).toBeGreaterThan(0);
        expect(x + w / 2).toBeLessThan(W);
        expect(y + h / 2).toBeLessThan(H);
        const [le, re, nose, lm, rm] = f.fivePoints as [number, number][];
        // every point inside the box; eyes above the nose above the mouth; image-left before image-right
        for (const p of f.fivePoints) {
          expect(p[0]).toBeGreaterThan(x);
          expect(p[0]).toBeLessThan(x + w);
          expect(p[1]).toBeGreaterThan(y);
          expect(p[1]).toBeLessThan(y + h);
        }
        expect(le[0]).toBeLessThan(re[0]);
        expect(lm[0]).toBeLessThan(rm[0]);
        expect(Math.max(le[1], re[1])).toBeLessThan(nose[1]);
        expect(nose[1]).toBeLessThan(Math.min(lm[1], rm[1]) + 0.05 * h);
        const iod = dist(le, re);
        expect(iod / w).toBeGreaterThan(0.1); // 0.15 for the most turned head
        expect(iod / w).toBeLessThan(0.6);
        expect(f.landmarks68).toHaveLength(68);
        expect(f.mesh).toHaveLength(468);
      }
      for (let i = 1; i < faces.length; i++) expect(faces[i - 1]!.box[2] * faces[i - 1]!.box[3]).toBeGreaterThanOrEqual(faces[i]!.box[2] * faces[i]!.box[3]);
    }
  }, 60_000);

  it("puts the five points and the 68 mesh landmarks near a synthetic face's true iBUG landmarks", async () => {
    const errors: number[][] = [[], [], [], [], []];
    const nme: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const s = synthFace(seed, { size: 256 });
      const image = tf.tensor3d(Int32Array.from(s.image), [256, 256, 3], 'int32');
      const faces = await detector.detect(image);
      image.dispose();
      expect(faces, `synthetic face ${seed}`).toHaveLength(1);
      const truth = fivePointsFromIbug(s.landmarks);
      const iod = dist(truth[0]!, truth[1]!);
      faces[0]!.fivePoints.forEach((p, k) => errors[k]!.push(dist(p, truth[k]!) / iod));
      const lm = faces[0]!.landmarks68;
      nme.push(lm.reduce((a, p, i) => a + dist(p, [s.landmarks[2 * i]!, s.landmarks[2 * i + 1]!]), 0) / 68 / iod);
    }
    // Median error over 8 faces, as a fraction of the inter-ocular distance: eyes ≤ 5 %, nose ≤ 10 %, mouth
    // corners ≤ 20 % (the renderer's mouth corner sits outside the lip line the mesh's corner vertex marks).
    const med = errors.map(median);
    expect(med[0]).toBeLessThan(0.05);
    expect(med[1]).toBeLessThan(0.05);
    expect(med[2]).toBeLessThan(0.1);
    expect(med[3]).toBeLessThan(0.2);
    expect(med[4]).toBeLessThan(0.2);
    expect(median(nme)).toBeLessThan(0.15);
  }, 60_000);

  it('accepts float images in [0, 1] and RGBA, with the same faces as int32 RGB', async () => {
    const s = synthFace(3, { size: 192 });
    const int = tf.tensor3d(Int32Array.from(s.image), [192, 192, 3], 'int32');
    const float = tf.div(tf.cast(int, 'float32'), 255) as tf.Tensor3D;
    const rgba = tf.concat([int, tf.fill([192, 192, 1], 255, 'int32')], 2) as tf.Tensor3D;
    const [a, b, c] = [await detector.detect(int), await detector.detect(float), await detector.detect(rgba)];
    tf.dispose([int, float, rgba]);
    expect(b[0]!.box).toEqual(a[0]!.box);
    expect(c[0]!.fivePoints).toEqual(a[0]!.fivePoints);
  });

  it('returns no faces for an image without one', async () => {
    const flat = tf.fill([128, 128, 3], 128, 'int32') as tf.Tensor3D;
    expect(await detector.detect(flat)).toEqual([]);
    flat.dispose();
  });

  it('has a 68-point table of distinct mesh vertices whose mirror is an involution', () => {
    expect(new Set(MESH_TO_IBUG68).size).toBe(68);
    expect(MESH_TO_IBUG68.every((i) => Number.isInteger(i) && i >= 0 && i < 468)).toBe(true);
    expect(IBUG68_MIRROR.map((j) => IBUG68_MIRROR[j])).toEqual(Array.from({ length: 68 }, (_, i) => i));
  });
});
