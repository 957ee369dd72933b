/**
 * Quantized regression: the encode/decode values by hand, the tensor quantizer equal to the plain
 * one, and denseRegLoss (both heads) against the formula evaluated independently in float64 loops.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { expectClose, randn } from '@facelab/test-utils';
import { decodeQuantized, denseRegLoss, encodeQuantized, encodeQuantizedMap, quantizeTensor } from '../src/index.js';

describe('encode / decode (K = 10)', () => {
  it('u ∈ {0, 0.05, 0.37, 0.999, 1} → q {1, 1, 4, 10, 10}, r {0, 0.5, 0.7, 0.99, 1.0}, and back', () => {
    const us = [0, 0.05, 0.37, 0.999, 1];
    const coded = us.map((u) => encodeQuantized(u));
    expect(coded.map((c) => c.q)).toEqual([1, 1, 4, 10, 10]);
    expectClose(
      coded.map((c) => c.r),
      [0, 0.5, 0.7, 0.99, 1.0],
      { atol: 1e-12 }
    );
    expectClose(
      coded.map((c) => decodeQuantized(c.q, c.r)),
      us,
      { atol: 1e-12 }
    );
  });

  it('a wrong bin q = 5 with r = 0.7 decodes to 0.47; background (q = 0, or u < 0) is −1', () => {
    expect(decodeQuantized(5, 0.7)).toBeCloseTo(0.47, 12);
    expect(decodeQuantized(0, 0.3)).toBe(-1);
    expect(encodeQuantized(-1)).toEqual({ q: 0, r: 0 });
  });

  it('rejects non-finite and out-of-range values with the value in the message', () => {
    expect(() => encodeQuantized(Number.NaN)).toThrow(/u must be in \[0, 1\].*NaN/);
    expect(() => encodeQuantized(1.5)).toThrow(/1\.5/);
    expect(() => decodeQuantized(11, 0)).toThrow(/q must be an integer in \[0, 10\], got 11/);
  });

  it('the in-graph quantizer equals the plain encoder on a map', () => {
    const rng = new Rng(4);
    const u = Float32Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? -1 : i % 11 === 0 ? 1 : rng.next()));
    const plain = encodeQuantizedMap(u, 10);
    const t = tf.tensor1d(u);
    const { q, r, mask } = quantizeTensor(t, 10);
    expect(Array.from(q.dataSync())).toEqual(Array.from(plain.q));
    expectClose(r.dataSync(), plain.r, { atol: 1e-5 });
    expect(Array.from(mask.dataSync())).toEqual(Array.from(u, (x) => (x >= 0 ? 1 : 0)));
    tf.dispose([t, q, r, mask]);
  });
});

/** The loss by its formula in float64: CE over all pixels + λ·smoothL1 over foreground, per axis. */
function referenceLoss(
  out: Float32Array,
  c: number,
  u: Float32Array,
  v: Float32Array,
  k: number,
  lambda: number,
  head: 'quantized' | 'direct'
): number {
  const n = u.length;
  const sl1 = (d: number) => (Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5);
  const ce = (o: number, classes: number, label: number) => {
    let m = -Infinity;
    for (let j = 0; j < classes; j++) m = Math.max(m, out[o + j]!);
    let s = 0;
    for (let j = 0; j < classes; j++) s += Math.exp(out[o + j]! - m);
    return m + Math.log(s) - out[o + label]!;
  };
  const fg: number[] = Array.from(u, (x) => (x >= 0 ? 1 : 0));
  const nfg = Math.max(
    1,
    fg.reduce((a, b) => a + b, 0)
  );
  let total = 0;
  if (head === 'quantized') {
    for (const [axis, off] of [
      [u, 0],
      [v, 2 * k + 1],
    ] as const) {
      let cls = 0;
      let reg = 0;
      for (let i = 0; i < n; i++) {
        const { q, r } = encodeQuantized(axis[i]!, k);
        cls += ce(i * c + off, k + 1, q);
        if (q > 0) reg += sl1(out[i * c + off + k + 1 + q - 1]! - r);
      }
      total += cls / n + (lambda * reg) / nfg;
    }
  } else {
    let cls = 0;
    let reg = 0;
    for (let i = 0; i < n; i++) {
      cls += ce(i * c, 2, fg[i]!);
      if (fg[i]) reg += sl1(out[i * c + 2]! - u[i]!) + sl1(out[i * c + 3]! - v[i]!);
    }
    total = cls / n + (lambda * reg) / nfg;
  }
  return total;
}

describe('denseRegLoss against its formula', () => {
  it.each([
    { head: 'quantized' as const, k: 10, lambda: 1 },
    { head: 'quantized' as const, k: 4, lambda: 2.5 },
    { head: 'direct' as const, k: 10, lambda: 1 },
  ])('$head head, K $k, λ $lambda', ({ head, k, lambda }) => {
    const rng = new Rng(7);
    const [b, h, w] = [2, 3, 5];
    const c = head === 'quantized' ? 2 * (2 * k + 1) : 4;
    const out = randn(rng, [b, h, w, c]).map((x) => 2 * x);
    const u = Float32Array.from({ length: b * h * w }, (_, i) => (i % 4 === 0 ? -1 : rng.next()));
    const v = Float32Array.from(u, (x) => (x < 0 ? -1 : rng.next()));
    const before = tf.memory().numTensors;
    const [ot, ut, vt] = [tf.tensor4d(out, [b, h, w, c]), tf.tensor3d(u, [b, h, w]), tf.tensor3d(v, [b, h, w])];
    const parts = denseRegLoss(ot, { u: ut, v: vt }, { head, bins: k, lambda });
    expect(parts.loss.dataSync()[0]).toBeCloseTo(referenceLoss(out, c, u, v, k, lambda, head), 4);
    expect(parts.loss.dataSync()[0]).toBeCloseTo(parts.classification.dataSync()[0]! + lambda * parts.regression.dataSync()[0]!, 4);
    tf.dispose([ot, ut, vt, parts.loss, parts.classification, parts.regression]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a U-V map of another size than the output, naming both shapes', () => {
    const o = tf.zeros([1, 4, 4, 42]);
    const u = tf.zeros([1, 4, 5]) as tf.Tensor3D;
    expect(() => denseRegLoss(o, { u, v: u })).toThrow(/targets\.u must be \[1, 4, 4\] like the output, got \[1,4,5\]/);
    tf.dispose([o, u]);
  });
});
