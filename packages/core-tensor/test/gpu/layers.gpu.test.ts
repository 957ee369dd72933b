/**
 * core-tensor's layers in small models on every GPU backend that loads, against the wasm reference: a
 * convolution net with batch norm (FusedBatchNorm), a dilated convolution and ResizeToMatch, and a sequence
 * net with FusedGru, each forward and two training steps.
 */
import { it } from 'vitest';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { convBnAct, FusedGru, mseLoss, ResizeToMatch, tf } from '../../src/index.js';

const seeded = (seed: number, shape: number[]) => tf.tensor(randn(new Rng(seed), shape), shape);

/** stem (stride 2) → dilated conv → ResizeToMatch back to the input's size. */
function convNet(): tf.LayersModel {
  const input = tf.input({ shape: [12, 10, 3] });
  let y = convBnAct(input, { filters: 4, kernelSize: 3, strides: 2, padding: 1, seed: 1, name: 'stem' });
  y = convBnAct(y, { filters: 3, kernelSize: 3, dilation: 2, padding: 'same', activation: 'linear', seed: 2, name: 'head' });
  return tf.model({ inputs: input, outputs: new ResizeToMatch({ name: 'up' }).apply([y, input]) as tf.SymbolicTensor });
}

/** FusedGru over time → dense per step. */
function sequenceNet(): tf.LayersModel {
  const input = tf.input({ shape: [5, 6] });
  const h = new FusedGru({ units: 7, returnSequences: true }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(h) as tf.SymbolicTensor });
}

const NETS: [string, () => tf.LayersModel, number[], number[]][] = [
  ['conv + batch norm + dilated conv + ResizeToMatch', convNet, [3, 12, 10, 3], [3, 12, 10, 3]],
  ['FusedGru sequence model', sequenceNet, [3, 5, 6], [3, 5, 2]],
];

await describeGpuBackends((backend) => {
  for (const [name, create, inShape, outShape] of NETS) {
    it(`${name}: forward and training steps`, async () => {
      const model = create();
      await expectModelMatchesReference(backend, model, {
        label: name,
        forward: () => model.predict(seeded(1, inShape)) as tf.Tensor,
        loss: () => mseLoss(seeded(2, outShape), model.apply(seeded(1, inShape), { training: true }) as tf.Tensor),
      });
      model.dispose();
    });
  }
});
