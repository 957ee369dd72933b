import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeMalformed } from '@facelab/test-utils';
import { beforeAll } from 'vitest';
import { createFaceDetector, cropFace, type FaceDetector, fivePointsFromMesh, modelFileIO, squareFaceBox } from '../src/index.js';

let detector: FaceDetector;
beforeAll(async () => {
  await initBackend('wasm');
  detector = await createFaceDetector(); // its models stay loaded: created before the corpus counts tensors
}, 60_000);

const dir = mkdtempSync(join(tmpdir(), 'face-detect-malformed-'));
const notJson = join(dir, 'model.json');
writeFileSync(notJson, 'not json');
const noManifest = join(dir, 'empty.json');
writeFileSync(noManifest, '{}');
const missingShard = join(dir, 'shard.json');
writeFileSync(missingShard, JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));

/** Runs `f` on a tensor made by `make`, disposing it afterwards (so the corpus can count leaked tensors). */
async function withTensor<T>(make: () => tf.Tensor3D, f: (t: tf.Tensor3D) => T | Promise<T>): Promise<T> {
  const t = make();
  try {
    return await f(t);
  } finally {
    t.dispose();
  }
}

describeMalformed('face-detect', [
  { name: 'maxFaces 0', run: () => createFaceDetector({ maxFaces: 0 }), error: 'maxFaces must be a positive integer, got 0' },
  { name: 'minScore above 1', run: () => createFaceDetector({ minScore: 2 }), error: 'minScore must be in [0, 1], got 2' },
  {
    name: 'a grey image',
    run: () => withTensor(() => tf.zeros([8, 8, 1]), (t) => detector.detect(t)),
    error: 'image must be a [height, width, 3 or 4] tensor, got [8,8,1]',
  },
  { name: 'not a tensor', run: () => detector.detect('photo.jpg' as never), error: 'image must be a [height, width, 3 or 4] tensor, got string' },
  {
    name: 'float image in 0..255',
    run: () => withTensor(() => tf.fill([8, 8, 3], 200), (t) => detector.detect(t)),
    error: 'a float image must hold values in [0, 1], got a maximum of 200',
  },
  { name: 'mesh too short', run: () => fivePointsFromMesh([[0, 0]]), error: 'mesh must have at least 468 points, got 1' },
  { name: 'box with zero width', run: () => squareFaceBox([0, 0, 0, 5]), error: 'box must be [x, y, width, height] with positive size' },
  { name: 'negative margin', run: () => squareFaceBox([0, 0, 5, 5], { margin: -1 }), error: 'margin must be a finite number ≥ 0, got -1' },
  { name: 'crop size 0', run: () => withTensor(() => tf.zeros([4, 4, 3]), (t) => cropFace(t, [0, 0, 2, 2], { size: 0 })), error: 'size must be a positive integer, got 0' },
  { name: 'model file missing', run: () => modelFileIO(join(dir, 'nope.json')).load!(), error: `cannot read model file '${join(dir, 'nope.json')}': file not found` },
  { name: 'model file not JSON', run: () => modelFileIO(notJson).load!(), error: `model file '${notJson}' is not JSON` },
  { name: 'model file without a manifest', run: () => modelFileIO(noManifest).load!(), error: 'has no modelTopology or weightsManifest' },
  { name: 'weight shard missing', run: () => modelFileIO(missingShard).load!(), error: `cannot read weight file '${join(dir, 'gone.bin')}': file not found` },
], { numTensors: () => tf.memory().numTensors });
