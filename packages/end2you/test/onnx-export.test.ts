/**
 * End2You models exported to ONNX (core-tensor's exportOnnx with END2YOU_ONNX_CONVERTERS: 1-D convolutions,
 * padding and pooling, Emo16's channel max pool, LSTM/GRU stacks, attention fusion) and run in onnxruntime-node
 * against tfjs on the cpu backend: within 1e-4 relative, with seeded random weights and open sequence length.
 */
import { beforeAll, describe, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { createEnd2YouModel, END2YOU_ONNX_CONVERTERS, type End2YouModelOptions } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const cases: [string, End2YouModelOptions][] = [
  ['emo16 audio, LSTM', { audio: { net: 'emo16', samples: 160 }, rnn: { units: 6 }, outputs: 2 }],
  ['emo16 audio with the upstream (C, T) view', { audio: { net: 'emo16', samples: 160, emo16UpstreamView: true }, rnn: { units: 6 }, outputs: 1 }],
  ['emo18 audio', { audio: { net: 'emo18', samples: 800 }, rnn: { units: 6, layers: 1 }, outputs: 2 }],
  ['zhao19 audio', { audio: { net: 'zhao19', samples: 640 }, rnn: { units: 6, layers: 1 }, outputs: 2 }],
  ['small visual, GRU', { visual: { net: 'small', size: 16 }, rnn: { units: 6 }, outputs: 2 }],
  [
    'audio + visual + physio, attention fusion',
    { audio: { net: 'emo16', samples: 160 }, visual: { net: 'small', size: 16 }, physio: { samples: 8, channels: 2 }, fusion: 'attention', rnn: { units: 8 }, outputs: 2 },
  ],
];

describe('End2You → ONNX round trip', () => {
  for (const [label, options] of cases) {
    it(label, () => {
      const model = createEnd2YouModel({ ...options, seed: 5 });
      randomizeWeights(model, 61);
      const rng = new Rng(62);
      const inputs = model.inputs.map((s) => {
        const shape = s.shape.map((d, i) => d ?? (i === 0 ? 2 : 3));
        return tf.tensor(randn(rng, shape), shape);
      });
      expectOnnxRoundTrip(model, inputs, { converters: END2YOU_ONNX_CONVERTERS });
      tf.dispose(inputs);
      model.dispose();
    });
  }
});
