/**
 * densereg's network on every GPU backend that loads, against the wasm reference: DenseRegNet on the small
 * trunk with both heads (quantized and direct regression), forward on a non-square image and two training
 * steps of denseRegLoss.
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { createDenseRegNet, denseRegLoss } from '../../src/index.js';

const [BATCH, H, W] = [2, 24, 20];
const images = () => tf.tensor4d(randn(new Rng(1), [BATCH, H, W, 3]), [BATCH, H, W, 3]);
/** u, v in (0, 1) as the surface coordinates are. */
const coordinate = (seed: number) => tf.tensor3d(randn(new Rng(seed), [BATCH, H, W]), [BATCH, H, W]).sigmoid() as tf.Tensor3D;

await describeGpuBackends((backend) => {
  for (const head of ['quantized', 'direct'] as const) {
    it(`DenseRegNet (small, ${head} head): forward and training steps`, async () => {
      const model = createDenseRegNet({ trunk: 'small', smallWidths: [4, 8, 8, 8], head, seed: 1 });
      await expectModelMatchesReference(backend, model, {
        label: `DenseRegNet ${head}`,
        forward: () => model.predict(images()) as tf.Tensor,
        loss: () => denseRegLoss(model.apply(images(), { training: true }) as tf.Tensor, { u: coordinate(2), v: coordinate(3) }, { head }).loss,
      });
      model.dispose();
    });
  }
});
