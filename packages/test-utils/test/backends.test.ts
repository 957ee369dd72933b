import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeBackends, kernel, valuesOn } from '../src/backends.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const seen: string[] = [];
describeBackends(['wasm', 'cpu'], (backend) => {
  it('runs the suite with the backend active', () => {
    expect(tf.getBackend()).toBe(backend);
    seen.push(backend);
  });
});

describe('after describeBackends', () => {
  it('ran every backend in order and restored the one active before', () => {
    expect(seen).toEqual(['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('valuesOn and kernel', () => {
  it('return the values of one computation on a named backend, leaving no tensors', async () => {
    const before = tf.memory().numTensors;
    const add = () => kernel('Add', { a: tf.tensor1d([1, 2]), b: tf.tensor1d([10, 20]) }, {});
    const [cpu] = await valuesOn('cpu', add);
    const [wasm] = await valuesOn('wasm', add);
    expect(tf.getBackend()).toBe('wasm');
    expect([cpu!.shape, Array.from(cpu!.values)]).toEqual([[2], [11, 22]]);
    expect(Array.from(wasm!.values)).toEqual([11, 22]);
    await tf.setBackend('cpu');
    expect(tf.memory().numTensors).toBe(before);
  });
});
