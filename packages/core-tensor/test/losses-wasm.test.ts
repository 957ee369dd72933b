import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cccLoss,
  crossEntropyLoss,
  ganDiscriminatorLoss,
  ganGeneratorLoss,
  initBackend,
  klDistillationLoss,
  maeLoss,
  mseLoss,
  smoothL1Loss,
  tf,
} from '../src/index.js';

// The same PyTorch golden values as losses.test.ts, on the backend facelab trains on where tfjs-node is absent.
const golden = JSON.parse(readFileSync(new URL('./golden/losses_golden.json', import.meta.url), 'utf8'));
const T = (x: number[][]) => tf.tensor2d(x);

beforeAll(async () => {
  await initBackend('wasm');
});

describe('losses on wasm: values match torch and every gradient is finite and leak-free', () => {
  const r = golden.regression;
  const ce = golden.crossEntropy;
  const kd = golden.distillation;
  const gan = golden.gan;
  const cases: [string, (x: tf.Tensor) => tf.Scalar, number[][], number][] = [
    ['mseLoss', (x) => mseLoss(T(r.yTrue), x), r.yPred, r.mse],
    ['maeLoss', (x) => maeLoss(T(r.yTrue), x), r.yPred, r.mae],
    ['smoothL1Loss β 0.5', (x) => smoothL1Loss(T(r.yTrue), x, { beta: 0.5 }), r.yPred, r.smoothL1['0.5']],
    ['crossEntropyLoss ε 0.1', (x) => crossEntropyLoss(tf.tensor1d(ce.labels, 'int32'), x, { labelSmoothing: 0.1 }), ce.logits, ce.integer['0.1']],
    ['cccLoss', (x) => cccLoss(T(golden.ccc.yTrue), x), golden.ccc.yPred, golden.ccc.loss],
    ['klDistillationLoss T 2', (x) => klDistillationLoss(x, T(kd.teacher), { temperature: 2 }), kd.student, kd.loss['2.0']],
    ['ganDiscriminatorLoss', (x) => ganDiscriminatorLoss(T(gan.real), x), gan.fake, gan.nonSaturating.d],
    ['ganGeneratorLoss hinge', (x) => ganGeneratorLoss(x, { kind: 'hinge' }), gan.fake, gan.hinge.g],
  ];
  for (const [name, loss, input, expected] of cases) {
    it(name, () => {
      const x = T(input);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) {
        const { value, grad } = tf.valueAndGrad(loss)(x);
        tf.dispose([value, grad]);
      }
      expect(tf.memory().numTensors).toBe(before);
      const { value, grad } = tf.valueAndGrad(loss)(x);
      expect(Math.abs(value.dataSync()[0]! - expected)).toBeLessThan(2e-6 * Math.max(1, Math.abs(expected)));
      expect(grad.shape).toEqual(x.shape);
      expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([value, grad, x]);
    });
  }
});
