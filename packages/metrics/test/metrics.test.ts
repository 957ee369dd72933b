import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accuracy,
  ccc,
  cccPerSequenceMean,
  confusionMatrix,
  macroF1,
  mae,
  mse,
  nme,
  pearson,
  psnr,
  rmse,
  rocAuc,
  sagr,
  ssim,
  tarAtFar,
  uar,
  verificationAccuracy,
} from '../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expectClose } from '@facelab/test-utils';

// Made by test/golden/make_metrics_golden.py: scikit-image 0.19 SSIM/PSNR (cross-checked there against a
// numpy Wang-2004 SSIM), an insightface-style numpy LFW protocol, and numpy formulas.
const golden = JSON.parse(readFileSync(new URL('./golden/metrics_golden.json', import.meta.url), 'utf8'));
const num = (v: number | 'Infinity') => (v === 'Infinity' ? Infinity : v);
const close = (actual: number, expected: number, atol = 1e-9) => expectClose(actual, expected, { atol });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('CCC', () => {
  const gold = [-0.5, 0, 0.5, 1];
  const pred = [-0.3, 0.1, 0.2, 0.8];
  it('worked values: population 0.9042553191, ddof 1 0.9054593875', () => {
    close(ccc(gold, pred), 0.9042553191, 1e-10);
    close(ccc(gold, pred, { ddof: 1 }), 0.9054593875, 1e-10);
  });
  it('gold 1..5: pred = gold + 1 gives 0.8, pred = 2·gold gives 8/19', () => {
    const g = [1, 2, 3, 4, 5];
    close(ccc(g, g.map((v) => v + 1)), 0.8, 1e-12);
    close(ccc(g, g.map((v) => 2 * v)), 8 / 19, 1e-12);
  });
  it('accepts arrays, typed arrays and tensors alike', () => {
    const t = tf.tensor(gold);
    const p = tf.tensor(pred);
    close(ccc(Float32Array.from(gold), Float32Array.from(pred)), 0.9042553191, 1e-7); // float32 rounding
    close(ccc(t, p), 0.9042553191, 1e-7);
    close(ccc([gold], [pred]), 0.9042553191, 1e-10); // nested: all values
    tf.dispose([t, p]);
  });
  it('cccPerSequenceMean is the CCC of per-sequence means (numpy)', () => {
    const r = golden.regression;
    close(cccPerSequenceMean(r.sequencesTrue, r.sequencesPred), r.cccPerSequenceMean, 1e-12);
    expect(() => cccPerSequenceMean([[1], [2]], [[1]])).toThrow(/2 sequences but sequencesPred has 1/);
    expect(() => cccPerSequenceMean([[1], []], [[1], [2]])).toThrow(/sequencesTrue\[1\] is empty/);
  });
});

describe('regression metrics against numpy', () => {
  const r = golden.regression;
  it('ccc, pearson, mse, rmse, mae, sagr', () => {
    close(ccc(r.yTrue, r.yPred), r.ccc, 1e-12);
    close(ccc(r.yTrue, r.yPred, { ddof: 1 }), r.cccDdof1, 1e-12);
    close(pearson(r.yTrue, r.yPred), r.pearson, 1e-12);
    close(mse(r.yTrue, r.yPred), r.mse, 1e-12);
    close(rmse(r.yTrue, r.yPred), r.rmse, 1e-12);
    close(mae(r.yTrue, r.yPred), r.mae, 1e-12);
    close(sagr(r.yTrue, r.yPred), r.sagr, 0);
  });
  it('sagr by hand, and clear errors', () => {
    expect(sagr([1, -2, 0.5, -1], [0.2, 1, 3, -4])).toBe(0.75);
    expect(() => mse([1, 2, 3], [1, 2])).toThrow(/yTrue has 3 values but yPred has 2/);
    expect(() => mae([1, NaN], [1, 2])).toThrow(/yTrue\[1\] is NaN/);
    expect(() => ccc([[1, 2], [3]], [1, 2, 3])).toThrow(/ragged nested array/);
  });
});

describe('classification metrics against numpy', () => {
  const c = golden.classification;
  it('accuracy, macroF1 (classes in either input), uar (classes in yTrue), confusionMatrix', () => {
    close(accuracy(c.yTrue, c.yPred), c.accuracy, 1e-12);
    close(macroF1(c.yTrue, c.yPred), c.macroF1, 1e-12);
    close(uar(c.yTrue, c.yPred), c.uar, 1e-12);
    expect(confusionMatrix(c.yTrue, c.yPred, { numClasses: c.numClasses })).toEqual(c.confusionMatrix);
  });
  it('by hand: argmax of [N, K] scores, and bad labels', () => {
    // true 0,1,1,2; pred 0,1,0,0 → recalls 1, 1/2, 0 → UAR 1/2;
    // F1 = 2TP/(2TP+FP+FN): class 0 2/(2+2) = 1/2, class 1 2/(2+1) = 2/3, class 2 0 → 7/18
    const scores = tf.tensor2d([[3, 1, 0], [0, 2, 1], [5, 1, 1], [2, 1, 1]]);
    expect(accuracy([0, 1, 1, 2], scores)).toBe(0.5);
    close(uar([0, 1, 1, 2], scores), 0.5, 1e-15);
    close(macroF1([0, 1, 1, 2], scores), 7 / 18, 1e-15);
    scores.dispose();
    expect(() => accuracy([0, 1.5], [0, 1])).toThrow(/yTrue\[1\] = 1.5: expected a non-negative integer/);
    expect(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(/numClasses = 3 but a label is 3/);
  });
});

describe('image metrics against scikit-image', () => {
  for (const c of golden.images) {
    it(`${c.name}: ssim ${c.ssim.toFixed(6)}, psnr ${c.psnr}`, () => {
      close(ssim(c.a, c.b, { dataRange: c.dataRange }), c.ssim, 1e-10);
      const p = psnr(c.a, c.b, { dataRange: c.dataRange });
      if (c.psnr === 'Infinity') expect(p).toBe(Infinity);
      else close(p, c.psnr, 1e-9);
    });
  }
  it('a batch [N, H, W, C] averages its images; tensors work', () => {
    const rgb = golden.images.filter((c: { a: unknown[][][] }) => Array.isArray(c.a[0]![0]) && c.a.length === 20)[0];
    const a = tf.tensor([rgb.a, rgb.a]);
    const b = tf.tensor([rgb.b, rgb.a]);
    close(ssim(a, b, { dataRange: 1 }), (rgb.ssim + 1) / 2, 1e-6); // float32 storage
    tf.dispose([a, b]);
  });
  it('names bad input', () => {
    const img = Array.from({ length: 12 }, () => new Array(12).fill(0.5));
    expect(() => ssim(img, img, { dataRange: 0 })).toThrow(/ssim: options.dataRange must be a positive number/);
    expect(() => ssim(img.slice(2), img.slice(2), { dataRange: 1 })).toThrow(/images are 10×12, smaller than the 11×11 window/);
    expect(() => ssim(img, img.slice(1), { dataRange: 1 })).toThrow(/a has shape \[12,12\] but b has \[11,12\]/);
    expect(() => psnr([[1, 2], [3, 4]], [1, 2, 3, 4], { dataRange: 1 })).toThrow(/psnr: a has shape \[2,2\] but b has \[4\]/);
  });
});

describe('nme', () => {
  it('matches numpy: mean point error / outer-eye-corner distance (points 37, 46)', () => {
    close(nme(golden.nme.pred, golden.nme.gt), golden.nme.nme, 1e-12);
    close(nme(golden.nme.pred[0], golden.nme.gt[0]), golden.nme.nmeFirst, 1e-12);
  });
  it('by hand: every point off by (3, 4), eye corners 50 apart → 0.1', () => {
    const gt = Array.from({ length: 68 }, (_, k) => [k, 2 * k]);
    gt[36] = [0, 0];
    gt[45] = [30, 40];
    const pred = gt.map(([x, y]) => [x! + 3, y! + 4]);
    close(nme(pred, gt), 0.1, 1e-15);
    expect(() => nme(pred.slice(1), gt)).toThrow(/expected iBUG 68-point landmarks \[68, 2\] or \[N, 68, 2\], got \[67,2\]/);
  });
});

describe('verification', () => {
  it('LFW protocol, hand-made 40 pairs: accuracy 0.900000, std 0.122474', () => {
    const issame = Array.from({ length: 40 }, (_, i) => i % 2 === 0);
    const dist = issame.map((s, i) => (s ? 0.8 + (0.6 * ((7 * i) % 20)) / 19 : 1.2 + (0.7 * ((11 * i) % 20)) / 19));
    const r = verificationAccuracy(dist, issame, { higherIsSame: false });
    expect(r.accuracy.toFixed(6)).toBe('0.900000');
    expect(r.std.toFixed(6)).toBe('0.122474');
    expect(r.foldAccuracies).toEqual([1, 1, 0.75, 0.75, 1, 1, 1, 0.75, 0.75, 1]);
    // Around the boundary, sorted: diff 1.2368 (k=1), same 1.2421 (k=14), same 1.3053 (k=16), diff 1.3105
    // (k=3), same 1.3684 (k=18). Thresholds 1.3053 and 1.3684 tie on every training set (two errors each in the
    // full set); ties go to the stricter, 0.8 + 0.6·16/19.
    for (const t of r.thresholds) close(t, 0.8 + (0.6 * 16) / 19, 1e-12);
    // Similarities (negated distances) give the same accuracies.
    const sim = verificationAccuracy(dist.map((d) => -d), issame);
    expect(sim.foldAccuracies).toEqual(r.foldAccuracies);
  });
  golden.verification.forEach((v: any, n: number) => {
    it(`random pairs #${n} (${v.distances.length} pairs, ${v.folds} folds) match the numpy insightface protocol`, () => {
      const r = verificationAccuracy(v.distances, v.issame, { folds: v.folds, higherIsSame: false });
      close(r.accuracy, v.lfw.accuracy, 1e-12);
      close(r.std, v.lfw.std, 1e-12);
      expect(r.thresholds).toEqual(v.lfw.thresholds);
      expect(r.foldAccuracies).toEqual(v.lfw.foldAccuracies);
    });
    it(`random pairs #${n}: rocAuc and tarAtFar match numpy brute force`, () => {
      const sim = (v.distances as number[]).map((d) => -d);
      close(rocAuc(sim, v.issame), v.rocAuc, 1e-12);
      close(rocAuc(v.distances, v.issame, { higherIsSame: false }), v.rocAuc, 1e-12);
      for (const g of v.tarAtFar) {
        const r = tarAtFar(sim, v.issame, g.far);
        expect(r).toEqual({ tar: g.tar, far: g.farReached, threshold: num(g.threshold) });
        expect(tarAtFar(v.distances, v.issame, g.far, { higherIsSame: false }).threshold).toBe(-num(g.threshold));
      }
    });
  });
  it('rocAuc and tarAtFar by hand', () => {
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const same = [1, 1, 0, 1, 0, 0];
    close(rocAuc(s, same), 8 / 9, 1e-15);
    close(rocAuc([0.5, 0.5], [1, 0]), 0.5, 1e-15); // a tie counts one half
    expect(tarAtFar(s, same, 0)).toEqual({ tar: 2 / 3, far: 0, threshold: 0.8 });
    expect(tarAtFar(s, same, 1 / 3)).toEqual({ tar: 1, far: 1 / 3, threshold: 0.6 });
  });
  it('names bad input', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/both same \(true\) and different \(false\) pairs/);
    expect(() => rocAuc([1, 2], [1, 2])).toThrow(/issame\[1\] = 2: expected a boolean or 0\/1/);
    expect(() => verificationAccuracy([1, 2, 3], [1, 0, 1], { folds: 4 })).toThrow(/folds = 4: expected an integer in \[2, 3\]/);
    expect(() => tarAtFar([1, 2], [1, 0], 2)).toThrow(/far must be in \[0, 1\]/);
  });
});

describe('metrics leak no tensors', () => {
  it('50 calls of every metric on tensor inputs', () => {
    const a = tf.randomUniform([12, 12, 3], 0, 1, 'float32', 1);
    const b = tf.randomUniform([12, 12, 3], 0, 1, 'float32', 2);
    const v = tf.tensor1d([0.1, -0.4, 0.3, 0.9, -0.2, 0.5]);
    const w = tf.tensor1d([0.2, -0.1, 0.4, 0.6, 0.1, 0.3]);
    const lab = tf.tensor1d([0, 1, 1, 0, 1, 0]);
    const lm = tf.randomUniform([2, 68, 2], 0, 100, 'float32', 3);
    const lm2 = tf.randomUniform([2, 68, 2], 0, 100, 'float32', 4);
    const calls = [
      () => ccc(v, w),
      () => cccPerSequenceMean([v, w, v], [w, v, v]),
      () => pearson(v, w),
      () => mse(v, w),
      () => rmse(v, w),
      () => mae(v, w),
      () => sagr(v, w),
      () => accuracy(lab, lab),
      () => macroF1(lab, lab),
      () => uar(lab, lab),
      () => confusionMatrix(lab, lab),
      () => psnr(a, b, { dataRange: 1 }),
      () => ssim(a, b, { dataRange: 1 }),
      () => nme(lm, lm2),
      () => rocAuc(v, lab),
      () => tarAtFar(v, lab, 0.1),
      () => verificationAccuracy(v, lab, { folds: 3 }),
    ];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) for (const f of calls) f();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, v, w, lab, lm, lm2]);
  });
});
