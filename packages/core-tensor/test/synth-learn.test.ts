import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend/init.js';
import { ccc } from '../src/metrics/index.js';
import { tf } from '../src/tf.js';
import { stackSynthImages, synthFace, type SynthOptions } from '../src/synth/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const FACES: SynthOptions = { size: 48, poseJitter: 0.5, clutter: false };

/**
 * A small CNN regressing (valence, arousal). Plain conv + ReLU rather than convBnAct: batch-norm gradients
 * make each wasm step ~3× slower (measured 307 vs 113 ms per batch of 32), and this test must stay short.
 */
function affectCnn(): tf.LayersModel {
  const input = tf.input({ shape: [48, 48, 3] });
  let x: tf.SymbolicTensor = input;
  for (const [i, filters] of [8, 16, 32, 32].entries()) {
    const init = tf.initializers.heNormal({ seed: 10 + i });
    x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Faces seed `from`…`from+count−1`, images centred to [−0.5, 0.5], targets (valence, arousal). */
function dataset(from: number, count: number) {
  const faces = Array.from({ length: count }, (_, i) => synthFace(from + i, FACES));
  return {
    x: tf.tidy(() => stackSynthImages(faces).sub(0.5)),
    y: tf.tensor2d(faces.flatMap((f) => [f.valence, f.arousal]), [count, 2]),
    valence: faces.map((f) => f.valence),
    arousal: faces.map((f) => f.arousal),
  };
}

describe('synthetic faces carry a learnable affect signal', () => {
  it('a small CNN learns valence and arousal to CCC >= 0.8 on held-out faces', async () => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const train = dataset(0, 1500);
    const test = dataset(1_000_000, 300);
    const model = affectCnn();
    model.compile({ optimizer: tf.train.adam(3e-3), loss: 'meanSquaredError' });
    await model.fit(train.x, train.y, { epochs: 10, batchSize: 32, shuffle: false, verbose: 0 });
    const pred = tf.tidy(() => model.predict(test.x) as tf.Tensor2D).arraySync();
    const cccV = ccc(test.valence, pred.map((p) => p[0]!));
    const cccA = ccc(test.arousal, pred.map((p) => p[1]!));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `synth affect CNN (wasm): CCC valence ${cccV.toFixed(3)}, arousal ${cccA.toFixed(3)} ` +
        `in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`,
    );
    tf.dispose([train.x, train.y, test.x, test.y]);
    model.optimizer.dispose();
    model.dispose();
    expect(cccV).toBeGreaterThanOrEqual(0.8);
    expect(cccA).toBeGreaterThanOrEqual(0.8);
  }, 600_000);
});
