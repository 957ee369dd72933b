/**
 * Child script: a seeded 30-step training run with checkpoints every 3 steps into `argv[2]` (resumed from the
 * newest when `argv[3]` is `resume`), pausing `STEP_DELAY_MS` after each step so a test can kill it midway.
 * Prints the final model weights and optimizer state as base64 float32 bytes, one JSON list.
 */
import { join } from 'node:path';
import { initBackend, tf, train } from '../../src/index.js';

const [dir, mode] = process.argv.slice(2) as [string, string | undefined];
const delay = Number(process.env.STEP_DELAY_MS ?? 0);
await initBackend('cpu');
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [2], units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
    tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
const optimizer = tf.train.adam(0.05);
await train<{ x: tf.Tensor2D; y: tf.Tensor2D }>({
  model,
  optimizer,
  steps: 30,
  seed: 5,
  progress: false,
  clipNorm: 1,
  checkpoint: { dir, every: 3 },
  resume: mode === 'resume',
  log: join(dir, 'train.jsonl'),
  batchAt: (_step, rng) => {
    const xs = Array.from({ length: 8 }, () => [rng.normal(0, 1), rng.normal(0, 1)]);
    return { x: tf.tensor2d(xs), y: tf.tensor2d(xs.map(([a, b]) => [Math.sin(a!) + 0.5 * b!])) };
  },
  loss: (b, ctx) => {
    const noisy = tf.add(b.x, ctx.rng.normal(0, 0.05));
    return { loss: tf.losses.meanSquaredError(b.y, model.apply(noisy, { training: true }) as tf.Tensor) as tf.Scalar };
  },
  callbacks: { onStepEnd: () => new Promise((resolve) => setTimeout(resolve, delay)) },
});
const state = (await optimizer.getWeights()).map((w) => w.tensor);
const all = [...model.weights.map((w) => w.read()), ...state];
console.log(JSON.stringify(all.map((t) => Buffer.from(new Float32Array(t.dataSync()).buffer).toString('base64'))));
