/**
 * synth's part of the root `npm start`: render synthetic faces with known valence/arousal, train a small
 * CNN on them with the shared trainer on the best backend, and report held-out CCC with figures.
 */
import { join } from 'node:path';
import { tf, initBackend, mseLoss, train } from '@facelab/core-tensor';
import { ccc } from '@facelab/metrics';
import { imageGrid, writeImage } from '@facelab/data';
import {
  affectCnn,
  synthFace,
  stackSynthImages,
  type SynthFace,
  type SynthOptions,
} from '@facelab/synth';

const SIZE = 48;
const TRAIN = 1500;
const TEST = 300;
const BATCH = 32;
const EPOCHS = 10;
/** Moderate pose jitter, plain background: learnable in about a minute of CPU. */
const FACE_OPTIONS: SynthOptions = { size: SIZE, poseJitter: 0.5, clutter: false };

function faces(seed0: number, n: number): SynthFace[] {
  return Array.from({ length: n }, (_, i) => synthFace(seed0 + i, FACE_OPTIONS));
}

/** Images centred to [−0.5, 0.5]. */
function images(fs: SynthFace[]): tf.Tensor4D {
  return tf.tidy(() => stackSynthImages(fs).sub(0.5));
}

/** Runs the demo, writing figures to `outDir`. */
export async function demo({ outDir }: { outDir: string }) {
  const backend = await initBackend();
  const t0 = Date.now();
  const trainFaces = faces(0, TRAIN);
  const testFaces = faces(1_000_000, TEST);
  const renderSeconds = (Date.now() - t0) / 1000;

  const x = images(trainFaces);
  const y = tf.tensor2d(trainFaces.flatMap((f) => [f.valence, f.arousal]), [TRAIN, 2]);
  const model = affectCnn(SIZE);
  const stepsPerEpoch = Math.floor(TRAIN / BATCH);
  let order: number[] = [];
  const t1 = Date.now();
  const result = await train({
    model,
    optimizer: tf.train.adam(3e-3),
    epochs: EPOCHS,
    stepsPerEpoch,
    seed: 7,
    // Each epoch visits a fresh seeded permutation of the training faces.
    batchAt: (step, rng) => {
      if (step % stepsPerEpoch === 0) order = rng.shuffle([...Array(TRAIN).keys()]);
      const idx = order.slice((step % stepsPerEpoch) * BATCH, (step % stepsPerEpoch + 1) * BATCH);
      return tf.tidy(() => {
        const i = tf.tensor1d(idx, 'int32');
        return { x: tf.gather(x, i), y: tf.gather(y, i) };
      });
    },
    loss: (b) => ({ loss: mseLoss(b.y, model.apply(b.x, { training: true }) as tf.Tensor2D) }),
    curves: join(outDir, 'training-curves.png'),
  });
  const trainSeconds = (Date.now() - t1) / 1000;

  const xt = images(testFaces);
  const pred = tf.tidy(() => model.predict(xt, { batchSize: 100 }) as tf.Tensor2D);
  const p = (await pred.array()) as number[][];
  const cccV = ccc(testFaces.map((f) => f.valence), p.map((r) => r[0]!));
  const cccA = ccc(testFaces.map((f) => f.arousal), p.map((r) => r[1]!));

  const sample = testFaces.slice(0, 16).map((f) => tf.tensor3d(f.image, [SIZE, SIZE, 3], 'int32'));
  const grid = imageGrid(sample, { cols: 8 });
  const gridPath = join(outDir, 'synthetic-faces.png');
  await writeImage(gridPath, grid);
  tf.dispose([x, y, xt, pred, grid, ...sample]);
  model.dispose();

  return {
    title: 'a small CNN learns valence/arousal from synthetic faces',
    rows: [
      { item: 'backend', value: backend },
      { item: `faces rendered (${SIZE}×${SIZE})`, value: `${TRAIN + TEST} in ${renderSeconds.toFixed(1)} s` },
      {
        item: `training (${result.step} steps × ${BATCH})`,
        value: `${trainSeconds.toFixed(1)} s, ${((result.step * BATCH) / trainSeconds).toFixed(0)} images/s`,
      },
      { item: `held-out CCC valence (${TEST} faces)`, value: cccV.toFixed(3) },
      { item: `held-out CCC arousal (${TEST} faces)`, value: cccA.toFixed(3) },
    ],
    artifacts: [join(outDir, 'training-curves.png'), gridPath],
  };
}
