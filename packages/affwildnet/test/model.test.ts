import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { createOmgNet } from '../src/model/omgnet.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('small networks', () => {
  it('AffWildNet small maps [B, T, 32, 32, 3] to [B, T, 2], for any T', () => {
    const m = createAffWildNet({ backbone: 'small', gruUnits: 8, fcUnits: 16 });
    for (const t of [3, 5]) {
      const y = tf.tidy(() => m.predict(tf.zeros([2, t, 32, 32, 3])) as tf.Tensor);
      expect(y.shape).toEqual([2, t, 2]);
      y.dispose();
    }
    // conv 3·3·(3·8 + 8·16 + 16·32 + 32·32) + biases, fc 2·2·32·16 + 16, GRU(16→8), GRU(8→8), dense 8→2.
    const conv = 9 * (3 * 8 + 8 * 16 + 16 * 32 + 32 * 32) + 8 + 16 + 32 + 32;
    const gru = (i: number, h: number) => 3 * (i * h + h * h + h);
    expect(m.countParams()).toBe(conv + (2 * 2 * 32 * 16 + 16) + gru(16, 8) + gru(8, 8) + 18);
    m.dispose();
  });

  it('the landmark variant takes a second [B, T, 136] input', () => {
    const m = createAffWildNet({ backbone: 'small', landmarks: true, gruUnits: 8, fcUnits: 16, frames: 4 });
    expect(m.inputs.map((i) => i.shape)).toEqual([[null, 4, 32, 32, 3], [null, 4, 136]]);
    const y = tf.tidy(() => m.predict([tf.zeros([1, 4, 32, 32, 3]), tf.zeros([1, 4, 136])]) as tf.Tensor);
    expect(y.shape).toEqual([1, 4, 2]);
    y.dispose();
    m.dispose();
  });

  it('OMG small 1rnn and 3rnn output [B, T, 2]', () => {
    for (const variant of ['1rnn', '3rnn'] as const) {
      const m = createOmgNet({ variant, backbone: 'small', gruUnits: 4, fcUnits: 8 });
      const y = tf.tidy(() => m.predict(tf.zeros([2, 3, 32, 32, 3])) as tf.Tensor);
      expect(y.shape).toEqual([2, 3, 2]);
      y.dispose();
      m.dispose();
    }
  });

  it('OMG builds are reproducible: one seed gives equal weights, another seed different GRU and output weights', () => {
    const build = (seed: number) => createOmgNet({ backbone: 'small', gruUnits: 4, fcUnits: 8, seed });
    const [a, b, c] = [build(7), build(7), build(8)];
    const values = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    const [wa, wb, wc] = [values(a), values(b), values(c)];
    expect(wb).toEqual(wa);
    const names = a.weights.map((w) => w.name);
    const differs = names.filter((_, i) => wa[i]!.some((v, k) => v !== wc[i]![k]));
    expect(differs.some((n) => /gru|rnn/i.test(n))).toBe(true);
    for (const m of [a, b, c]) m.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => createAffWildNet({ backbone: 'vgg19' as 'vgg16' })).toThrow(/backbone must be/);
    expect(() => createAffWildNet({ backbone: 'small', gruUnits: 0 })).toThrow(/gruUnits must be a positive integer, got 0/);
    expect(() => createAffWildNet({ backbone: 'small', fcDropout: 1 })).toThrow(/fcDropout must be in \[0, 1\)/);
    expect(() => createOmgNet({ variant: '2rnn' as '1rnn' })).toThrow(/variant must be '1rnn' or '3rnn'/);
  });

  it('predict leaves no tensors behind', () => {
    const m = createAffWildNet({ backbone: 'small', gruUnits: 4, fcUnits: 8 });
    const x = tf.zeros([1, 2, 32, 32, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) (m.predict(x) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });
});

describe('released-model options', () => {
  it('gruGateBias 1 starts the update and reset gates at 1 and the candidate at 0 (TF1 GRUCell), and survives save/load', async () => {
    const m = createAffWildNet({ backbone: 'small', gruUnits: 3, fcUnits: 4, gruGateBias: 1 });
    for (const name of ['rnn_gru1', 'rnn_gru2']) {
      const bias = m.getLayer(name).getWeights()[2]!;
      expect(Array.from(bias.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0]);
    }
    const plain = createAffWildNet({ backbone: 'small', gruUnits: 3, fcUnits: 4 });
    expect(Array.from(plain.getLayer('rnn_gru1').getWeights()[2]!.dataSync())).toEqual(new Array(9).fill(0));
    const copy = await tf.models.modelFromJSON({ modelTopology: m.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
    expect(Array.from(copy.getLayer('rnn_gru1').getWeights()[2]!.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0]);
    [m, plain, copy].forEach((x) => x.dispose());
  });

  it('fcDropout puts a dropout layer after FC only; rnnDropout between the GRUs', () => {
    const m = createAffWildNet({ backbone: 'small', gruUnits: 3, fcUnits: 4, fcDropout: 0.5 });
    const drops = m.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => [l.name, (l.getConfig() as { rate: number }).rate]);
    expect(drops).toEqual([['fc_drop', 0.5]]);
    const r = createAffWildNet({ backbone: 'small', gruUnits: 3, fcUnits: 4, rnnDropout: 0.2 });
    expect(r.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.name)).toEqual(['rnn_drop1']);
    [m, r].forEach((x) => x.dispose());
  });
});
