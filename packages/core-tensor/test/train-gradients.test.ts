import { beforeAll, describe, expect, it } from 'vitest';
import {
  addWeightDecay,
  clipByGlobalNorm,
  globalNorm,
  initBackend,
  tf,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('gradient transforms (hand-computed)', () => {
  it('global norm of [3,4] and [[12]] is 13', () => {
    const g = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
    const n = globalNorm(g);
    expect(n.dataSync()[0]).toBe(13);
    tf.dispose([...g, n]);
  });

  it('clips by global norm: g · c / max(‖g‖, c)', () => {
    const g = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
    const before = tf.memory().numTensors;
    const half = clipByGlobalNorm(g, 6.5); // scale 6.5 / 13 = 0.5
    expect(half.norm.dataSync()[0]).toBe(13);
    expect(Array.from(half.grads[0]!.dataSync())).toEqual([1.5, 2]);
    expect(Array.from(half.grads[1]!.dataSync())).toEqual([6]);
    const none = clipByGlobalNorm(g, 20); // below the threshold: unchanged
    expect(Array.from(none.grads[0]!.dataSync())).toEqual([3, 4]);
    tf.dispose([...half.grads, half.norm, ...none.grads, none.norm]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => clipByGlobalNorm(g, 0)).toThrow(/clipNorm must be positive/);
    tf.dispose(g);
  });

  it('adds λ·w to the gradients it applies to', () => {
    const g = [tf.tensor1d([1, 2]), tf.tensor1d([5])];
    const w = [tf.tensor1d([10, -20]), tf.tensor1d([7])];
    const out = addWeightDecay(g, w, 0.1, [true, false]);
    expect(Array.from(out[0]!.dataSync())).toEqual([2, 0]);
    expect(Array.from(out[1]!.dataSync())).toEqual([5]);
    tf.dispose([...g, ...w, ...out]);
  });
});
