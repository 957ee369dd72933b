/**
 * core-tensor's part of the root `npm start`: render synthetic faces with known valence/arousal, train a small
 * CNN on them with the shared trainer on the best backend, and report held-out CCC with figures.
 */
import { join } from 'node:path';
import { tf } from './tf.js';
import { initBackend } from './backend/init.js';
import { convBnAct } from './layers/index.js';
import { cccLoss } from './losses/index.js';
import { ccc } from './metrics/index.js';
import { train } from './train/index.js';
import { imageGrid, writeImage } from './data/index.js';
import { synthFace, stackSynthImages, type SynthFace } from './synth/index.js';

const SIZE = 48;
const TRAIN = 1536;
const TEST = 384;
const BATCH = 32;
const STEPS = 480;

/** The small valence/arousal regressor the demo trains (three strided conv-BN-ReLU blocks, GAP, tanh head). */
function smallVaNet(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3], name: 'face' });
  let x = convBnAct(input, { filters: 16, strides: 2, name: 'b1' });
  x = convBnAct(x, { filters: 32, strides: 2, name: 'b2' });
  x = convBnAct(x, { filters: 64, strides: 2, name: 'b3' });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'tanh', name: 'va' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'small_va_net' });
}

function faces(seed0: number, n: number): SynthFace[] {
  return Array.from({ length: n }, (_, i) => synthFace(seed0 + i, { size: SIZE, identities: 50 }));
}

function labels(fs: SynthFace[]): tf.Tensor2D {
  return tf.tensor2d(fs.flatMap((f) => [f.valence, f.arousal]), [fs.length, 2]);
}

/** Runs the demo, writing figures to `outDir`. */
export async function demo({ outDir }: { outDir: string }) {
  const backend = await initBackend();
  const t0 = Date.now();
  const trainFaces = faces(1, TRAIN);
  const testFaces = faces(1_000_000, TEST);
  const renderSeconds = (Date.now() - t0) / 1000;

  const x = stackSynthImages(trainFaces);
  const y = labels(trainFaces);
  const model = smallVaNet();
  const t1 = Date.now();
  const result = await train({
    model,
    optimizer: tf.train.adam(3e-3),
    steps: STEPS,
    seed: 7,
    batchAt: (_step, rng) => {
      const idx = Array.from({ length: BATCH }, () => rng.int(TRAIN));
      return tf.tidy(() => {
        const i = tf.tensor1d(idx, 'int32');
        return { x: tf.gather(x, i), y: tf.gather(y, i) };
      });
    },
    loss: (b) => {
      const pred = model.apply(b.x, { training: true }) as tf.Tensor2D;
      const loss = tf.add(
        cccLoss(b.y.slice([0, 0], [-1, 1]).reshape([-1]), pred.slice([0, 0], [-1, 1]).reshape([-1])),
        cccLoss(b.y.slice([0, 1], [-1, 1]).reshape([-1]), pred.slice([0, 1], [-1, 1]).reshape([-1])),
      ).div(2) as tf.Scalar;
      return { loss };
    },
    curves: join(outDir, 'training-curves.png'),
  });
  const trainSeconds = (Date.now() - t1) / 1000;

  const xt = stackSynthImages(testFaces);
  const pred = tf.tidy(() => model.predict(xt, { batchSize: 128 }) as tf.Tensor2D);
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
    title: 'small CNN learns valence/arousal from synthetic faces',
    rows: [
      { item: 'backend', value: backend },
      { item: `faces rendered (${SIZE}×${SIZE})`, value: `${TRAIN + TEST} in ${renderSeconds.toFixed(1)} s` },
      { item: `training (${result.step} steps × ${BATCH})`, value: `${trainSeconds.toFixed(1)} s, ${((result.step * BATCH) / trainSeconds).toFixed(0)} images/s` },
      { item: 'held-out CCC valence', value: cccV.toFixed(3) },
      { item: 'held-out CCC arousal', value: cccA.toFixed(3) },
    ],
    artifacts: [join(outDir, 'training-curves.png'), gridPath],
  };
}
