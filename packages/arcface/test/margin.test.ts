import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARGIN_PRESETS, marginLogits, marginSoftmaxLoss, type MarginOptions } from '../src/index.js';

interface GoldenCase extends Required<MarginOptions> {
  name: string;
  logits: number[][];
  loss: number;
  grad: number[][];
}
const golden = JSON.parse(readFileSync(new URL('./golden/margin.json', import.meta.url), 'utf8')) as {
  cos: number[][];
  labels: number[];
  cases: GoldenCase[];
};

beforeAll(async () => {
  await initBackend('cpu');
});

/** The target logit of one row [c, ...] with label 0, as a float64 number via tf (float32). */
function targetLogit(c: number, opts: MarginOptions): number {
  return tf.tidy(() => marginLogits(tf.tensor2d([[c, 0.1]]), [0], opts).arraySync()[0]![0]!);
}

function targetGrad(c: number, opts: MarginOptions): number {
  return tf.tidy(() => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(marginLogits(x as tf.Tensor2D, [0], opts), [0, 0], [1, 1])));
    return g(tf.tensor2d([[c, 0.1]])).arraySync() as number[][];
  })[0]![0]!;
}

describe('marginLogits', () => {
  it('gives the worked cross-entropies of the issue for cosines [0.3, 0.2, 0.1, -0.1], label 0, s = 64', () => {
    const cos = tf.tensor2d([[0.3, 0.2, 0.1, -0.1]]);
    const ce = (o: MarginOptions) => tf.tidy(() => marginSoftmaxLoss(cos, [0], { s: 64, ...o }).dataSync()[0]!);
    expect(Math.abs(ce({ m1: 1, m2: 0, m3: 0 }) - 0.001663)).toBeLessThan(5e-7);
    expect(Math.abs(ce({ m1: 1, m2: 0.5, m3: 0 }) - 25.222015)).toBeLessThan(2e-5);
    expect(Math.abs(ce({ m1: 1, m2: 0, m3: 0.35 }) - 16.00166)).toBeLessThan(2e-5);
    expect(Math.abs(ce({ m1: 1, m2: 0.3, m3: 0.2 }) - 25.301331)).toBeLessThan(2e-5);
    cos.dispose();
  });

  it('equals the closed forms on both sides of cos θ = cos(π − m2)', () => {
    const s = 64;
    const m2 = 0.5;
    // cos(π − 0.5) = −0.87758: −0.85 takes cos(θ + m2), −0.90 the fallback c − m2·sin m2.
    expect(targetLogit(-0.85, { s, m2 }) / s).toBeCloseTo(Math.cos(Math.acos(-0.85) + m2), 5);
    expect(targetLogit(-0.9, { s, m2 }) / s).toBeCloseTo(-0.9 - m2 * Math.sin(m2), 5);
    // Easy margin: cos(θ + m2) where c > 0, else c.
    expect(targetLogit(0.2, { s, m2, easyMargin: true }) / s).toBeCloseTo(Math.cos(Math.acos(0.2) + m2), 5);
    expect(targetLogit(-0.2, { s, m2, easyMargin: true }) / s).toBeCloseTo(-0.2, 5);
    // CosFace and the general combination.
    expect(targetLogit(0.4, { s, m2: 0, m3: 0.35 }) / s).toBeCloseTo(0.05, 5);
    expect(targetLogit(0.4, { s, m1: 1.35, m2: 0.1, m3: 0.2 }) / s).toBeCloseTo(Math.cos(1.35 * Math.acos(0.4) + 0.1) - 0.2, 5);
    // Non-target logits are s·cos θ.
    const row = tf.tidy(() => marginLogits(tf.tensor2d([[0.3, -0.7, 0.25]]), [1], { s }).arraySync()[0]!);
    expect(row[0]! / s).toBeCloseTo(0.3, 6);
    expect(row[2]! / s).toBeCloseTo(0.25, 6);
  });

  it("the 'combined' preset is the paper's (1, 0.3, 0.2) and gives the golden combined-margin logits", () => {
    expect(MARGIN_PRESETS.combined).toEqual({ m1: 1, m2: 0.3, m3: 0.2 });
    const c = golden.cases.find((g) => g.name === 'combined')!;
    const logits = tf.tidy(() => marginLogits(tf.tensor2d(golden.cos), golden.labels, { s: c.s, ...MARGIN_PRESETS.combined }).arraySync());
    logits.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - c.logits[i]![j]!) / c.s).toBeLessThan(1e-5)));
  });

  it('matches the PyTorch float64 golden logits, losses and gradients on random cosines', () => {
    const cos = tf.tensor2d(golden.cos);
    for (const c of golden.cases) {
      const opts: MarginOptions = { s: c.s, m1: c.m1, m2: c.m2, m3: c.m3, easyMargin: c.easyMargin };
      const logits = tf.tidy(() => marginLogits(cos, golden.labels, opts).arraySync());
      const { value, grads } = tf.tidy(() => {
        const vg = tf.valueAndGrad((x: tf.Tensor) => marginSoftmaxLoss(x as tf.Tensor2D, golden.labels, opts));
        const r = vg(cos);
        return { value: r.value.dataSync()[0]!, grads: r.grad.arraySync() as number[][] };
      });
      logits.forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - c.logits[i]![j]!) / c.s, `${c.name} logit ${i},${j}`).toBeLessThan(1e-5)),
      );
      expect(Math.abs(value - c.loss) / Math.max(1, Math.abs(c.loss)), `${c.name} loss`).toBeLessThan(1e-5);
      grads.forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - c.grad[i]![j]!) / c.s, `${c.name} grad ${i},${j}`).toBeLessThan(2e-5)),
      );
    }
    cos.dispose();
  });

  it('has the true derivative: s·2.569998 at c = 0.96214, finite differences elsewhere', () => {
    const s = 64;
    const g = targetGrad(0.96214, { s }) / s;
    // The finite-difference number; the exact derivative cos m2 + c/sin θ·sin m2 is 2.5699869 (the
    // issue's value carries forward-difference error of ~1e-5, e.g. float64 step 1e-6 gives 2.5699988).
    expect(Math.abs(g - 2.569998)).toBeLessThan(2e-5);
    const c0 = 0.96214;
    expect(Math.abs(g - (Math.cos(0.5) + (c0 / Math.sqrt(1 - c0 * c0)) * Math.sin(0.5)))).toBeLessThan(3e-6);
    const f = (c: number) => Math.cos(Math.acos(c) + 0.5);
    expect(Math.abs((f(c0 + 1e-6) - f(c0)) / 1e-6 - 2.569998)).toBeLessThan(1e-6);
    // Float32 central differences of our own op, near the fallback threshold and away from it.
    const th = Math.cos(Math.PI - 0.5);
    const cases: [number, MarginOptions][] = [
      [th + 0.01, { s }],
      [th - 0.01, { s }],
      [0.5, { s }],
      [0.01, { s, easyMargin: true }],
      [-0.3, { s, m1: 1.35, m2: 0.2, m3: 0.1 }],
      [0.7, { s, m2: 0, m3: 0.35 }],
    ];
    for (const [c, o] of cases) {
      const h = 2e-3;
      const fd = (targetLogit(c + h, o) - targetLogit(c - h, o)) / (2 * h);
      expect(Math.abs(targetGrad(c, o) - fd) / Math.max(1, Math.abs(fd)), `c=${c}`).toBeLessThan(2e-3);
    }
  });

  it('keeps values and gradients finite at and beyond c = ±1', () => {
    for (const c of [1, -1, 1.0000001, -1.0000001, 0.9999999, 0.9999]) {
      for (const o of [{ m2: 0.5 }, { m1: 1.35, m2: 0.2, m3: 0.1 }, { m1: 2, m2: 0, m3: 0 }]) {
        expect(Number.isFinite(targetLogit(c, o)), `value at ${c}`).toBe(true);
        expect(Number.isFinite(targetGrad(c, o)), `grad at ${c}`).toBe(true);
      }
    }
    // Near 1 (but well inside the clamp) the derivative follows the analytic cos m2 + c/sin θ·sin m2.
    const c = 0.9999;
    const exact = Math.cos(0.5) + (c / Math.sqrt(1 - c * c)) * Math.sin(0.5);
    expect(Math.abs(targetGrad(c, { s: 1 }) - exact) / exact).toBeLessThan(1e-3);
  });

  it('rejects labels out of range, wrong label count and wrong shapes with clear errors', () => {
    const cos = tf.tensor2d([[0.1, 0.2, 0.3]]);
    expect(() => marginLogits(cos, [3])).toThrow(/labels\[0\] = 3 is out of range.*\[0, 3\)/);
    expect(() => marginLogits(cos, [-1])).toThrow(/labels\[0\] = -1/);
    expect(() => marginLogits(cos, [0, 1])).toThrow(/labels has 2 entries but cosTheta has 1 rows/);
    expect(() => marginLogits(tf.zeros([3]) as unknown as tf.Tensor2D, [0])).toThrow(/\[batch, classes\]/);
    expect(() => marginLogits(cos, [0], { s: -1 })).toThrow(/option s/);
    cos.dispose();
  });

  it('leaks no tensors over 50 forward/backward calls', () => {
    const cos = tf.tensor2d(golden.cos);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      tf.grad((x: tf.Tensor) => marginSoftmaxLoss(x as tf.Tensor2D, golden.labels, { m1: 1.2, m2: 0.1 }))(cos).dispose();
      tf.grad((x: tf.Tensor) => marginSoftmaxLoss(x as tf.Tensor2D, golden.labels))(cos).dispose();
      marginLogits(cos, golden.labels).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    cos.dispose();
  });
});
