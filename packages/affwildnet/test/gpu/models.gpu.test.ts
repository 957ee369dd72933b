/**
 * affwildnet's CNN-RNN networks on every GPU backend that loads, against the wasm reference: AffWildNet and
 * the OMG-Emotion network on the small backbone (tiny frames, a few GRU units, no dropout), forward and two
 * training steps of their losses.
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { affWildLoss, createAffWildNet, createOmgNet, omgLoss } from '../../src/index.js';

const [BATCH, FRAMES, SIZE] = [2, 3, 32];
const TINY = { backbone: 'small', inputSize: SIZE, frames: FRAMES, gruUnits: 4, fcUnits: 8, fcDropout: 0, rnnDropout: 0 } as const;

const clips = () => tf.tensor(randn(new Rng(1), [BATCH, FRAMES, SIZE, SIZE, 3]), [BATCH, FRAMES, SIZE, SIZE, 3]).mul(40).add(128);
const seeded = (shape: number[]) => tf.tensor(randn(new Rng(2), shape), shape).tanh();

const NETWORKS: [string, () => tf.LayersModel, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar][] = [
  ['AffWildNet', () => createAffWildNet({ ...TINY, seed: 3 }), affWildLoss],
  ['OMG network', () => createOmgNet({ ...TINY, seed: 3 }), omgLoss],
];

await describeGpuBackends((backend) => {
  for (const [name, create, loss] of NETWORKS) {
    it(`${name} (small): forward and training steps`, async () => {
      const model = create();
      const outShape = [BATCH, ...model.outputs[0]!.shape.slice(1)] as number[];
      await expectModelMatchesReference(backend, model, {
        label: name,
        forward: () => model.predict(clips()) as tf.Tensor,
        loss: () => loss(seeded(outShape), model.apply(clips(), { training: true }) as tf.Tensor),
      });
      model.dispose();
    });
  }
});
