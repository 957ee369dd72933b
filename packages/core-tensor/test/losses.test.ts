import { beforeAll, describe, expect, it } from 'vitest';
import { ccc } from '@facelab/metrics';
import { expectClose, readGolden } from '@facelab/test-utils';
import { describeBackends } from '@facelab/test-utils/backends';
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
  type GanLossKind,
} from '../src/index.js';

// Made by test/golden/make_losses_golden.py from PyTorch 1.13's loss functions (float64).
const golden = readGolden(import.meta.url, 'losses_golden.json');

const T = (x: number[] | number[][]) => tf.tensor(x);
/** Evaluates a loss and disposes everything it made. */
const value = (f: () => tf.Scalar) => {
  const s = f();
  const v = s.dataSync()[0];
  s.dispose();
  return v;
};
/** |actual − expected| ≤ rel·max(1, |expected|). */
const close = (actual: number, expected: number, rel = 2e-6) => expectClose(actual, expected, { atol: rel, rtol: rel });

beforeAll(async () => {
  await initBackend('cpu');
});

describe('regression losses against torch', () => {
  const g = golden.regression;
  it('mseLoss and maeLoss', () => {
    close(value(() => mseLoss(T(g.yTrue), T(g.yPred))), g.mse);
    close(value(() => maeLoss(T(g.yTrue), T(g.yPred))), g.mae);
  });
  it('smoothL1Loss for β = 1, 0.5, 2 and 0 (L1)', () => {
    for (const beta of [1, 0.5, 2, 0]) {
      close(value(() => smoothL1Loss(T(g.yTrue), T(g.yPred), { beta })), g.smoothL1[beta.toFixed(1)]);
    }
  });
  it('smoothL1Loss by hand: d = 0.5 (quadratic) and d = 3 (linear), β = 1', () => {
    // (0.5·0.25 + (3 − 0.5)) / 2 = 1.3125
    close(value(() => smoothL1Loss(T([0, 0]), T([0.5, -3]))), 1.3125);
  });
  it('smoothL1Loss gradient is clamp(d/β, −1, 1)/N', () => {
    const t = T([0, 0, 0, 0]);
    const p = T([0.2, -0.3, 1.5, -4]);
    const grad = tf.grad((x: tf.Tensor) => smoothL1Loss(t, x, { beta: 0.5 }))(p);
    const expected = [0.4, -0.6, 1, -1].map((v) => v / 4);
    Array.from(grad.dataSync()).forEach((v, i) => close(v, expected[i]!));
    tf.dispose([t, p, grad]);
  });
  it('rejects mismatched shapes, naming both', () => {
    expect(() => mseLoss(T([1, 2]), T([[1, 2]]))).toThrow(/mseLoss: yTrue has shape \[2\] but yPred has \[1,2\]/);
    expect(() => smoothL1Loss(T([1]), T([1]), { beta: -1 })).toThrow(/beta must be ≥ 0/);
  });
});

describe('crossEntropyLoss', () => {
  const g = golden.crossEntropy;
  const k = 4;
  it('matches torch F.cross_entropy with integer labels and label smoothing ε = 0, 0.1, 0.3', () => {
    for (const eps of [0, 0.1, 0.3]) {
      const got = value(() => crossEntropyLoss(tf.tensor1d(g.labels, 'int32'), T(g.logits), { labelSmoothing: eps }));
      close(got, g.integer[eps.toFixed(1)]);
    }
  });
  it('label smoothing equals one-hot targets (1 − ε)·onehot + ε/K built by hand', () => {
    const eps = 0.3;
    const target = (g.labels as number[]).map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 - eps : 0) + eps / k));
    const viaFormula = value(() => crossEntropyLoss(T(target), T(g.logits)));
    const viaOption = value(() => crossEntropyLoss(tf.tensor1d(g.labels, 'float32'), T(g.logits), { labelSmoothing: eps }));
    close(viaOption, viaFormula);
  });
  it('matches torch with probability targets', () => {
    close(value(() => crossEntropyLoss(T(g.soft), T(g.logits))), g.softTargets);
  });
  it('has gradient (softmax(z) − target) / N', () => {
    const labels = tf.tensor1d(g.labels, 'int32');
    const z = T(g.logits);
    const grad = tf.grad((x: tf.Tensor) => crossEntropyLoss(labels, x))(z);
    const sm = (g.logits as number[][]).map((row) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    const expected = sm.map((row, i) => row.map((p, j) => (p - (j === g.labels[i] ? 1 : 0)) / sm.length));
    const got = grad.arraySync() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => close(v, expected[i]![j]!)));
    tf.dispose([labels, z, grad]);
  });
  it('rejects labels whose shape fits neither form', () => {
    expect(() => crossEntropyLoss(T([1, 2, 3]), T([[1, 2]]))).toThrow(/integer labels have shape \[3\] but logits \[1,2\]/);
    expect(() => crossEntropyLoss(T([1]), T([[1, 2]]), { labelSmoothing: 1 })).toThrow(/labelSmoothing must be in \[0, 1\)/);
  });
});

describe('cccLoss', () => {
  it('is 1 − CCC on the worked examples', () => {
    close(value(() => cccLoss(T([-0.5, 0, 0.5, 1]), T([-0.3, 0.1, 0.2, 0.8]))), 1 - 0.9042553191, 1e-6);
    const gold = [1, 2, 3, 4, 5];
    close(value(() => cccLoss(T(gold), T(gold.map((v) => v + 1)))), 0.2, 1e-6);
    close(value(() => cccLoss(T(gold), T(gold.map((v) => 2 * v)))), 1 - 8 / 19, 1e-6);
  });
  it('averages 1 − CCC over the last axis (numpy reference)', () => {
    close(value(() => cccLoss(T(golden.ccc.yTrue), T(golden.ccc.yPred))), golden.ccc.loss);
  });
  it('has the gradient of 1 − CCC by central finite differences (float64)', () => {
    const gold = [-0.5, 0, 0.5, 1, 0.2, -0.1];
    const pred = [-0.3, 0.1, 0.2, 0.8, 0.4, 0.0];
    const yt = T(gold);
    const yp = T(pred);
    const grad = tf.grad((p: tf.Tensor) => cccLoss(yt, p))(yp);
    const got = Array.from(grad.dataSync());
    const h = 1e-6;
    pred.forEach((_, i) => {
      const shifted = (d: number) => pred.map((v, j) => (j === i ? v + d : v));
      const fd = ((1 - ccc(gold, shifted(h))) - (1 - ccc(gold, shifted(-h)))) / (2 * h);
      expect(Math.abs(got[i]! - fd)).toBeLessThan(1e-5);
    });
    tf.dispose([yt, yp, grad]);
  });
});

describe('klDistillationLoss', () => {
  const g = golden.distillation;
  it('equals T²·F.kl_div(log_softmax(s/T), softmax(t/T), batchmean) for T = 1, 2, 4', () => {
    for (const temperature of [1, 2, 4]) {
      close(value(() => klDistillationLoss(T(g.student), T(g.teacher), { temperature })), g.loss[temperature.toFixed(1)]);
    }
  });
  it('is zero when student equals teacher, and needs a temperature', () => {
    close(value(() => klDistillationLoss(T(g.teacher), T(g.teacher), { temperature: 3 })), 0);
    expect(() => klDistillationLoss(T(g.student), T(g.teacher), { temperature: 0 })).toThrow(/temperature must be a positive/);
  });
});

describe('GAN losses against torch (BCE-with-logits, MSE, hinge)', () => {
  const g = golden.gan;
  for (const kind of ['nonSaturating', 'lsgan', 'hinge'] as GanLossKind[]) {
    it(kind, () => {
      close(value(() => ganDiscriminatorLoss(T(g.real), T(g.fake), { kind })), g[kind].d);
      close(value(() => ganGeneratorLoss(T(g.fake), { kind })), g[kind].g);
    });
  }
  it('defaults to non-saturating and rejects unknown kinds', () => {
    close(value(() => ganGeneratorLoss(T(g.fake))), g.nonSaturating.g);
    expect(() => ganGeneratorLoss(T(g.fake), { kind: 'wgan' as GanLossKind })).toThrow(/unknown kind 'wgan'/);
  });
  it('non-saturating generator gradient is −σ(−x)/N', () => {
    const x = T([-2, 0, 3]);
    const grad = tf.grad((z: tf.Tensor) => ganGeneratorLoss(z))(x);
    Array.from(grad.dataSync()).forEach((v, i) => close(v, -1 / (1 + Math.exp([-2, 0, 3][i]!)) / 3));
    tf.dispose([x, grad]);
  });
});

describe('losses leak no tensors', () => {
  it('50 calls of every loss and of a gradient step', () => {
    const a = T([[0.1, 0.5], [0.3, -0.2], [0.9, 0.4]]);
    const b = T([[0.2, 0.4], [0.1, -0.1], [0.7, 0.6]]);
    const labels = tf.tensor1d([1, 0, 1], 'int32');
    const w = tf.variable(tf.zeros([2, 2]));
    const opt = tf.train.sgd(0.1);
    const calls: (() => tf.Scalar)[] = [
      () => mseLoss(a, b),
      () => maeLoss(a, b),
      () => smoothL1Loss(a, b, { beta: 0.5 }),
      () => crossEntropyLoss(labels, a, { labelSmoothing: 0.1 }),
      () => crossEntropyLoss(b, a),
      () => cccLoss(a, b),
      () => klDistillationLoss(a, b, { temperature: 2 }),
      ...(['nonSaturating', 'lsgan', 'hinge'] as const).flatMap((kind) => [
        () => ganDiscriminatorLoss(a, b, { kind }),
        () => ganGeneratorLoss(a, { kind }),
      ]),
    ];
    const step = () => opt.minimize(() => cccLoss(b, tf.matMul(a, w)), false, [w]);
    step(); // the optimizer creates its state once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      for (const f of calls) f().dispose();
      step();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, labels, w]);
    opt.dispose();
  });
});

// The same PyTorch golden values on the backend facelab trains on where tfjs-node is absent.
describeBackends(['wasm'], () => {
  describe('losses: values match torch and every gradient is finite and leak-free', () => {
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
});
