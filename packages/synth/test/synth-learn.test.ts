import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { ccc } from '@facelab/metrics';
import { affectCnn, stackSynthImages, synthFace, type SynthOptions } from '../src/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const FACES: SynthOptions = { size: 48, poseJitter: 0.5, clutter: false };

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
    const model = affectCnn(48);
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
