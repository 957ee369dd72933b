import { describe, expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { createEnd2YouModel, defaultRnn, type End2YouModelOptions } from '../src/model/end2you.js';

const SMALL = {
  audio: { net: 'emo16', samples: 160 },
  visual: { net: 'small', size: 16 },
  physio: { samples: 8, channels: 2 },
  rnn: { units: 8 },
  outputs: 2,
  seed: 5,
} satisfies End2YouModelOptions;

function inputsFor(o: End2YouModelOptions, b: number, s: number): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  if (o.audio) out.push(tf.randomNormal([b, s, o.audio.samples], 0, 1, 'float32', 1));
  if (o.visual) out.push(tf.randomUniform([b, s, o.visual.size, o.visual.size, 3], 0, 1, 'float32', 2));
  if (o.physio) out.push(tf.randomNormal([b, s, o.physio.samples, o.physio.channels], 0, 1, 'float32', 3));
  return out;
}

describe('createEnd2YouModel', () => {
  it('builds every modality alone and fused, giving [B, S, outputs] for any sequence length', () => {
    const cases: End2YouModelOptions[] = [
      { audio: SMALL.audio, outputs: 2, rnn: SMALL.rnn },
      { audio: { net: 'zhao19', samples: 256 }, outputs: 1, rnn: SMALL.rnn },
      { audio: { net: 'emo18', samples: 800 }, outputs: 3, rnn: SMALL.rnn },
      { visual: SMALL.visual, outputs: 2, rnn: SMALL.rnn },
      { physio: SMALL.physio, outputs: 2, rnn: SMALL.rnn },
      { ...SMALL, fusion: 'concat' },
      { ...SMALL, fusion: 'attention' },
    ];
    for (const o of cases) {
      const model = createEnd2YouModel(o);
      for (const s of [3, 5]) {
        const x = inputsFor(o, 2, s);
        const y = model.predict(x) as tf.Tensor;
        expect(y.shape).toEqual([2, s, o.outputs]);
        tf.dispose([...x, y]);
      }
      model.dispose();
    }
  });

  it("uses upstream's recurrent stacks by default and the attention gate's 256-per-modality width", () => {
    expect(defaultRnn(['audio'])).toEqual({ cell: 'lstm', units: 256, layers: 2 });
    expect(defaultRnn(['visual'])).toEqual({ cell: 'gru', units: 256, layers: 2 });
    expect(defaultRnn(['audio', 'visual'])).toEqual({ cell: 'lstm', units: 512, layers: 2 });
    const model = createEnd2YouModel({ ...SMALL, fusion: 'attention' });
    expect(model.getLayer('fusion_gate').getWeights()[0]!.shape).toEqual([768, 768]);
    expect(model.getLayer('rnn_lstm1').getWeights()[0]!.shape).toEqual([768, 32]);
    model.dispose();
    // Concatenation: Emo16's 1276 + ResNet-18's 512 features into the LSTM.
    const av = createEnd2YouModel({ audio: { net: 'emo16', samples: 640 }, visual: { net: 'resnet18', size: 96 }, outputs: 2 });
    expect(av.getLayer('rnn_lstm1').getWeights()[0]!.shape).toEqual([1276 + 512, 4 * 512]);
    av.dispose();
  });

  it('same seed → same weights; another seed → other weights', () => {
    const weights = (seed: number) => {
      const m = createEnd2YouModel({ ...SMALL, seed });
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return w;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(6)).not.toEqual(weights(5));
  });

  it('rejects bad options with one-line errors', () => {
    expect(() => createEnd2YouModel({ outputs: 2 })).toThrow(/at least one of audio, visual, physio/);
    expect(() => createEnd2YouModel({ audio: { net: 'emo17' as 'emo16', samples: 640 }, outputs: 1 })).toThrow(/audio.net must be one of emo16, emo18, zhao19/);
    expect(() => createEnd2YouModel({ audio: { net: 'emo18', samples: 640 }, outputs: 1 })).toThrow(/731 samples/);
    expect(() => createEnd2YouModel({ visual: { net: 'small', size: 16 }, outputs: 0 })).toThrow(/outputs/);
  });
});
