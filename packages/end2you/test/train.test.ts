import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeBackends } from '@facelab/test-utils/backends';
import { createEnd2YouModel, type End2YouModelOptions } from '../src/model/end2you.js';
import type { End2YouRecord } from '../src/data/hdf5.js';
import { BestCheckpoint } from '../src/train/best.js';
import { makeBatch, windowsOf } from '../src/train/batches.js';
import { fitEnd2You } from '../src/train/fit.js';
import { sequenceLoss } from '../src/loss/masked.js';
import type { Scores } from '../src/eval/scores.js';

/** A tiny audio+physio record: arousal a_s = sin(s/3 + phase) drives the audio amplitude and the physio level. */
function record(steps: number, phase: number): End2YouRecord {
  const T = 96;
  const audio = new Float32Array(steps * T);
  const physio = new Float32Array(steps * 4);
  const labels = new Float32Array(steps);
  for (let s = 0; s < steps; s++) {
    const a = Math.sin(s / 3 + phase);
    labels[s] = a;
    for (let t = 0; t < T; t++) audio[s * T + t] = (0.6 + 0.4 * a) * Math.sin((2 * Math.PI * 8 * t) / T);
    physio.fill(a, s * 4, s * 4 + 4);
  }
  return {
    audio: { data: audio, shape: [steps, T] },
    physio: { data: physio, shape: [steps, 4, 1] },
    labels: { data: labels, shape: [steps, 1] },
    labelNames: ['arousal'],
    dataFile: `r${phase}.wav`,
    labelFile: `r${phase}.csv`,
  };
}

const MODEL: End2YouModelOptions = { audio: { net: 'emo16', samples: 96 }, physio: { samples: 4, channels: 1 }, rnn: { units: 8, layers: 1 }, outputs: 1, seed: 3 };
const train = [record(10, 0), record(7, 1), record(9, 2)];
const valid = [record(8, 4)];

let dir: string;
beforeAll(async () => {
  // wasm: tfjs's cpu backend computes Emo16's 40-tap convolution gradient ~50× slower.
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'e2y-train-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const scores = (mean: number): Scores => ({ metric: 'mse', perLabel: { arousal: mean }, mean });

describe('best-checkpoint selection', () => {
  it('keeps the lowest MSE and the highest CCC (upstream keeps val >= best for both)', () => {
    const pick = (metric: 'mse' | 'ccc', values: number[]) => {
      const b = new BestCheckpoint(metric);
      values.forEach((v, i) => b.offer(i + 1, { ...scores(v), metric }));
      return b.best!.epoch;
    };
    expect(pick('mse', [0.5, 0.3, 0.4, 0.2, 0.6])).toBe(4);
    expect(pick('ccc', [0.2, 0.5, 0.4, 0.7, 0.1])).toBe(4);
    expect(pick('mse', [0.5, Number.NaN, 0.6])).toBe(1);
  });

  it('fitEnd2You saves best/ and best_valid_scores.json at the lowest-MSE / highest-CCC epoch of a scripted validation', async () => {
    for (const [metric, seq] of [['mse', [0.5, 0.3, 0.4, 0.2, 0.6]], ['ccc', [0.2, 0.5, 0.4, 0.7, 0.1]]] as const) {
      const out = join(dir, `scripted-${metric}`);
      const model = createEnd2YouModel(MODEL);
      const bestEpochs: number[] = [];
      const res = await fitEnd2You({
        model, modalities: ['audio', 'physio'], train, valid, loss: 'mse', metric, epochs: 5, batchSize: 3, seqLength: 5, outDir: out,
        validate: (epoch) => ({ metric, perLabel: { arousal: seq[epoch - 1]! }, mean: seq[epoch - 1]! }),
        onEpoch: (e) => e.best && bestEpochs.push(e.epoch),
      });
      expect(res.best!.epoch).toBe(4);
      expect(bestEpochs).toEqual(metric === 'mse' ? [1, 2, 4] : [1, 2, 4]);
      const json = JSON.parse(await readFile(join(out, 'best_valid_scores.json'), 'utf8'));
      expect(json).toEqual({ [metric]: seq[3], epoch: 4, perLabel: { arousal: seq[3] } });
      expect((await readdir(join(out, 'best'))).sort()).toEqual(['model.json', 'weights.bin']);
      model.dispose();
    }
  }, 60_000);
});

describe('training', () => {
  it('pads windows per batch with a mask', () => {
    const w = windowsOf(train, 4); // 10 → 4,4,2; 7 → 4,3; 9 → 4,4,1
    expect(w.map((x) => x.length)).toEqual([4, 4, 2, 4, 3, 4, 4, 1]);
    const b = makeBatch(train, [w[2]!, w[0]!], ['audio', 'physio']);
    expect(b.inputs.map((t) => t.shape)).toEqual([[2, 4, 96], [2, 4, 4, 1]]);
    expect(b.mask.arraySync()).toEqual([[1, 1, 0, 0], [1, 1, 1, 1]]);
    expect(b.labels.arraySync()[0]![2]).toEqual([0]); // padding
    tf.dispose(b as unknown as tf.TensorContainer);
  });

  it('a training step leaves no tensors; same seed → same weights; resumed run equals an uninterrupted one', async () => {
    const run = async (name: string, epochs: number, resume = false, model = createEnd2YouModel(MODEL)) => {
      await fitEnd2You({ model, modalities: ['audio', 'physio'], train, valid, loss: 'ccc', metric: 'ccc', epochs, batchSize: 2, seqLength: 5, outDir: join(dir, name), resume, seed: 9 });
      return model;
    };
    const before = tf.memory().numTensors;
    const a = await run('a', 3);
    const weightsA = a.getWeights().map((w) => Array.from(w.dataSync()));
    const after = tf.memory().numTensors;
    const b = await run('b', 3);
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsA);
    const c1 = await run('c', 1);
    c1.dispose();
    const c = await run('c', 3, true);
    expect(c.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsA);
    // Models own their weights; nothing else may stay behind.
    for (const m of [b, c]) m.dispose();
    expect(tf.memory().numTensors).toBe(after);
    a.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  }, 120_000);
});

describeBackends(['wasm'], () => {
  it('trains the fused audio+physio model (masked CCC) with a lower loss after a few steps', () => {
    const model = createEnd2YouModel({ ...MODEL, fusion: 'attention' });
    const opt = tf.train.adam(3e-3);
    const batch = makeBatch(train, windowsOf(train, 5), ['audio', 'physio']);
    const step = () => {
      const loss = opt.minimize(() => sequenceLoss('ccc', batch.labels, model.apply(batch.inputs, { training: true }) as tf.Tensor, batch.mask), true)!;
      const v = loss.dataSync()[0]!;
      loss.dispose();
      return v;
    };
    const first = step(); // creates Adam's slots
    const before = tf.memory().numTensors;
    let last = step();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 15; i++) last = step();
    expect(last).toBeLessThan(first);
    tf.dispose(batch as unknown as tf.TensorContainer);
    opt.dispose();
    model.dispose();
  }, 60_000);
});
