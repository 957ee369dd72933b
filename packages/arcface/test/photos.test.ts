import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { transformPoints, warpAffine, writeImage } from '@facelab/data';
import { createFaceDetector, type FaceDetector } from '@facelab/face-detect';
import { runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { alignFace, arcfaceTemplate, embedFolder, embedPhoto, iresnet, largestFaceIn, verifyPhotos, writeEmbeddings } from '../src/index.js';

/** Real group photos shipped in @vladmandic/face-api's npm tarball (demo/sample1–6.jpg), test fixtures only. */
const photo = (i: number) => join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo', `sample${i}.jpg`);
const root = mkdtempSync(join(tmpdir(), 'arcface-photos-'));
const modelDir = join(root, 'model');
let detector: FaceDetector;
let model: tf.LayersModel;

beforeAll(async () => {
  await initBackend('wasm');
  detector = await createFaceDetector();
  // An untrained IR-ResNet at the real 112 × 112 input: the pipeline's shapes and formats, not its accuracy.
  model = iresnet({ units: [1, 1, 1, 1], widths: [8, 8, 16, 16, 32], inputSize: 112, embeddingSize: 32, seed: 3 });
  await model.save(fileSystemIO(modelDir));
}, 60_000);

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('photos → aligned faces → embeddings', () => {
  it("aligns real faces onto ArcFace's template: the matrix maps the five points near it, and the detector finds them there again", async () => {
    const template = arcfaceTemplate(112);
    for (const i of [1, 3, 6]) {
      const { image, face } = await largestFaceIn(detector, photo(i));
      const float = tf.cast(image, 'float32') as tf.Tensor3D;
      const aligned = alignFace(float, face.fivePoints, 112);
      image.dispose();
      // Least-squares similarity: the points land near the template at 112 px (mean within 7 px; real faces are
      // not the template: sample1's turned head puts its nose 11 px off).
      const mapped = transformPoints(aligned.matrix, face.fivePoints);
      expect(mapped.reduce((s, p, k) => s + dist(p, template[k]!), 0) / 5, `sample${i}`).toBeLessThan(7);
      const [[a, b], [c, d]] = aligned.matrix;
      expect(a).toBeCloseTo(d, 10); // a similarity: [[s·cos, −s·sin], [s·sin, s·cos]]
      expect(b).toBeCloseTo(-c, 10);
      aligned.image.dispose();
      // Re-detected after the same warp at twice the scale into a 512² canvas (the face with its surroundings,
      // the crop's coordinates at 2·c + 144), the five points are found where the matrix put them, within 8 % of
      // the template's eye distance.
      const [[a2, b2, tx], [c2, d2, ty]] = aligned.matrix;
      const wide = warpAffine(float, [[2 * a2, 2 * b2, 2 * tx + 144], [2 * c2, 2 * d2, 2 * ty + 144]], { size: { width: 512, height: 512 } });
      float.dispose();
      const pixels = tf.tidy(() => tf.cast(tf.round(wide), 'int32') as tf.Tensor3D);
      const again = await detector.detect(pixels);
      tf.dispose([wide, pixels]);
      expect(again.length).toBeGreaterThanOrEqual(1);
      const iod = dist(template[0]!, template[1]!);
      const back = again[0]!.fivePoints.map((p) => [(p[0] - 144) / 2, (p[1] - 144) / 2]);
      back.forEach((p, k) => expect(dist(p, mapped[k]!) / iod, `sample${i} re-detected point ${k}`).toBeLessThan(0.08));
    }
  }, 60_000);

  it('verifies a photo against itself as the same person (cosine 1), leaves no tensors, and embeds a folder skipping unreadable and faceless files', async () => {
    const before = tf.memory().numTensors;
    const self = await verifyPhotos(model, detector, photo(2), photo(2));
    expect(self.similarity).toBeCloseTo(1, 5);
    expect(self.same).toBe(true);
    expect(self.threshold).toBe(0.3);
    const other = await verifyPhotos(model, detector, photo(2), photo(4), { threshold: 1 });
    expect(other.same).toBe(other.similarity >= 1);
    expect(other.a.faces).toBe(3);
    expect(other.b.faces).toBe(4);
    const e = await embedPhoto(model, detector, photo(5));
    expect(e.embedding).toHaveLength(32);
    expect(Math.hypot(...e.embedding)).toBeCloseTo(1, 5);
    expect(tf.memory().numTensors).toBe(before);

    const folder = join(root, 'photos');
    mkdirSync(folder);
    await copyFile(photo(1), join(folder, 'a.jpg'));
    await copyFile(photo(6), join(folder, 'b.jpg'));
    writeFileSync(join(folder, 'broken.jpg'), 'not a jpeg');
    const grey = tf.fill([64, 64, 3], 0.5) as tf.Tensor3D;
    await writeImage(join(folder, 'grey.png'), grey);
    grey.dispose();
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    const result = await embedFolder(model, detector, folder);
    expect(result.embeddings.map((x) => x.source)).toEqual([join(folder, 'a.jpg'), join(folder, 'b.jpg')]);
    expect(result.skipped.map((x) => x.source)).toEqual([join(folder, 'broken.jpg'), join(folder, 'grey.png')]);
    expect(result.skipped[0]!.reason).toMatch(/cannot decode/);
    expect(result.skipped[1]!.reason).toBe(`no face found in ${join(folder, 'grey.png')}`);
    const out = join(root, 'emb.json');
    await writeEmbeddings(out, result);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({ format: 'facelab-embeddings/1', dim: 32 });
    expect(file.items[0].embedding).toHaveLength(32);
    expect(file.items[0].fivePoints).toHaveLength(5);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

describe('facelab-arcface verify / embed on photos', () => {
  const run = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'wasm']);

  it('verify a.jpg b.jpg prints the decision (text and --json); embed <folder> writes the embeddings file', async () => {
    const same = await run('verify', photo(3), photo(3), '--model', modelDir);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^same person: cosine similarity 1\.0000 \(threshold 0\.3\)/);
    const json = await run('verify', photo(3), photo(5), '--model', modelDir, '--threshold', '0.99', '--json');
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r).toMatchObject({ threshold: 0.99, a: { file: photo(3), faces: 3 }, b: { file: photo(5), faces: 5 } });
    expect(r.same).toBe(r.similarity >= 0.99);
    expect(r.a.box).toHaveLength(4);

    const folder = join(root, 'cli-photos');
    mkdirSync(folder);
    await copyFile(photo(4), join(folder, 'x.jpg'));
    const out = join(root, 'cli-emb.json');
    const emb = await run('embed', folder, '--model', modelDir, '-o', out, '--json');
    expect(emb.code, emb.stderr).toBe(0);
    expect(JSON.parse(emb.stdout)).toMatchObject({ embedded: 1, skipped: [], dim: 32, out });
    expect(existsSync(out)).toBe(true);
  }, 60_000);

  it('names the problem in one line: one photo, a missing photo, no model, a photo without a face, a threshold past 1', async () => {
    const one = await run('verify', photo(1), '--model', modelDir);
    expect(one).toMatchObject({ code: 2, stderr: expect.stringContaining('verify: give two photos to compare, got 1') });
    const missing = await run('verify', photo(1), '/nonexistent/b.jpg', '--model', modelDir);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("verify: photo '/nonexistent/b.jpg': no such file") });
    const noModel = await run('verify', photo(1), photo(2));
    expect(noModel).toMatchObject({ code: 2, stderr: expect.stringContaining('give exactly one of --model and --onnx') });
    const grey = join(root, 'grey.png');
    const img = tf.fill([64, 64, 3], 0.5) as tf.Tensor3D;
    await writeImage(grey, img);
    img.dispose();
    const noFace = await run('verify', photo(1), grey, '--model', modelDir);
    expect(noFace).toMatchObject({ code: 1, stderr: expect.stringContaining(`no face found in ${grey}`) });
    const past = await run('verify', photo(1), photo(2), '--model', modelDir, '--threshold', '1.5');
    expect(past).toMatchObject({ code: 2, stderr: expect.stringContaining('--threshold must be a cosine in [-1, 1], got 1.5') });
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const nothing = await run('embed', empty, '--model', modelDir);
    expect(nothing).toMatchObject({ code: 1, stderr: expect.stringContaining(`embedFolder: no images`) });
  }, 60_000);
});
