/**
 * end2you's model on every GPU backend that loads, against the wasm reference: a small multimodal
 * End2You model (Emo16 audio, small visual and physio encoders, GRU), and the Zhao19 audio model, forward and
 * two training steps of the masked CCC and MSE sequence losses.
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { createEnd2YouModel, lengthMask, sequenceLoss, type End2YouModelOptions } from '../../src/index.js';

const [BATCH, STEPS] = [2, 3];
const rnn = { units: 8 };
const MODELS: [string, End2YouModelOptions, 'ccc' | 'mse'][] = [
  [
    'Emo16 + visual + physio',
    { audio: { net: 'emo16', samples: 160 }, visual: { net: 'small', size: 16 }, physio: { samples: 8, channels: 2 }, rnn, outputs: 2, seed: 5 },
    'ccc',
  ],
  ['Zhao19 audio', { audio: { net: 'zhao19', samples: 256 }, rnn, outputs: 1, seed: 5 }, 'mse'],
];

/** Seeded inputs of every modality `o` has, [BATCH, STEPS, …]. */
function inputsFor(o: End2YouModelOptions): tf.Tensor[] {
  const shapes = [
    o.audio && [BATCH, STEPS, o.audio.samples],
    o.visual && [BATCH, STEPS, o.visual.size, o.visual.size, 3],
    o.physio && [BATCH, STEPS, o.physio.samples, o.physio.channels],
  ].filter((s): s is number[] => s !== undefined);
  return shapes.map((shape, i) => tf.tensor(randn(new Rng(i + 1), shape), shape));
}

await describeGpuBackends((backend) => {
  for (const [name, options, loss] of MODELS) {
    it(`${name}: forward and training steps`, async () => {
      const model = createEnd2YouModel(options);
      const labels = () => tf.tensor3d(randn(new Rng(9), [BATCH, STEPS, options.outputs]), [BATCH, STEPS, options.outputs]).tanh();
      await expectModelMatchesReference(backend, model, {
        label: `end2you ${name}`,
        forward: () => model.predict(inputsFor(options)) as tf.Tensor,
        loss: () => sequenceLoss(loss, labels(), model.apply(inputsFor(options), { training: true }) as tf.Tensor, lengthMask([STEPS, STEPS - 1], STEPS)),
      });
      model.dispose();
    });
  }
});
