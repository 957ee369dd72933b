import { beforeAll, describe, expect, it } from 'vitest';
import {
  basicBlock,
  bottleneckBlock,
  convBnAct,
  encoderDecoder,
  initBackend,
  irBlock,
  recurrentStack,
  tf,
  timeDistributedCnn,
  vggStack,
} from '../src/index.js';
import { Rng } from '@facelab/runtime';
import { randn, relErr, valuesOn } from './wasm-helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

/** Every block in one small clip model (bilinear and transposed upsampling, PReLU, GRU and LSTM). */
function clipModel(): tf.LayersModel {
  const f = tf.input({ shape: [8, 8, 2] });
  let y = convBnAct(f, { filters: 4, activation: 'prelu', seed: 1, name: 'c' });
  y = basicBlock(y, { filters: 4, seed: 1, name: 'b' });
  y = bottleneckBlock(y, { filters: 2, strides: 2, seed: 1, name: 'n' });
  y = irBlock(y, { filters: 4, seed: 1, name: 'i' });
  y = encoderDecoder(y, {
    filters: [3, 4],
    skips: true,
    upsample: 'transposed',
    outChannels: 3,
    activation: 'leakyRelu',
    seed: 1,
    name: 'u',
  });
  y = encoderDecoder(y, { filters: [2, 3], skips: false, upsample: 'bilinear', outChannels: 2, seed: 1, name: 'w' });
  y = vggStack(y, { blocks: [[3]], seed: 1, name: 'v' });
  const cnn = tf.model({
    inputs: f,
    outputs: tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor,
    name: 'cnn',
  });
  const clip = tf.input({ shape: [3, 8, 8, 2] });
  const g = recurrentStack(timeDistributedCnn(clip, { cnn, name: 'td' }), {
    cell: 'gru',
    units: 3,
    layers: 2,
    seed: 1,
    name: 'g',
  });
  const out = recurrentStack(g, { cell: 'lstm', units: 2, layers: 1, returnSequences: false, seed: 1, name: 'l' });
  return tf.model({ inputs: clip, outputs: out });
}

describe('layer blocks on wasm agree with cpu', () => {
  it('training-mode gradients of every weight and inference outputs (relative error < 1e-4)', async () => {
    const m = clipModel();
    const rng = new Rng(4);
    const x = randn(rng, [2, 3, 8, 8, 2]);
    const t = randn(rng, [2, 2]);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads = () => {
      const xs = tf.tensor(x, [2, 3, 8, 8, 2]);
      const { grads: g } = tf.variableGrads(() => {
        const y = m.apply(xs, { training: true }) as tf.Tensor;
        return tf.losses.meanSquaredError(tf.tensor(t, [2, 2]), y) as tf.Scalar;
      }, vars);
      return vars.map((v) => g[v.name]!);
    };
    const predict = () => m.predict(tf.tensor(x, [2, 3, 8, 8, 2])) as tf.Tensor;
    // Outputs first: a training-mode pass also moves the batch-norm statistics inference uses.
    const [cpuOut, wasmOut] = [await valuesOn('cpu', predict), await valuesOn('wasm', predict)];
    const [cpuGrads, wasmGrads] = [await valuesOn('cpu', grads), await valuesOn('wasm', grads)];
    expect(wasmGrads.length).toBe(m.trainableWeights.length);
    const worst = m.trainableWeights
      .map((w, i) => ({ name: w.name, err: relErr(wasmGrads[i]!.values, cpuGrads[i]!.values) }))
      .filter((e) => e.err > 1e-4);
    expect(worst).toEqual([]);
    expect(cpuGrads.every((g) => g.values.some((v) => v !== 0))).toBe(true); // every weight gets a gradient
    expect(relErr(wasmOut[0]!.values, cpuOut[0]!.values)).toBeLessThan(1e-4);
    await tf.setBackend('cpu');
    m.dispose();
  });
});
