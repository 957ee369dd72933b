/**
 * arcface's networks on every GPU backend that loads, against the wasm reference: a tiny IR-ResNet with the
 * ArcFace margin head, forward and two training steps of the margin softmax loss.
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { ArcMarginHead, iresnet, IRESNET_SMALL, marginSoftmaxLoss } from '../../src/index.js';

const BATCH = 4;
const CLASSES = 10;
const LABELS = [0, 3, 7, 3];

await describeGpuBackends((backend) => {
  it('iresnet (small) + ArcMarginHead: forward and training steps', async () => {
    const backbone = iresnet(IRESNET_SMALL);
    const head = new ArcMarginHead({ numClasses: CLASSES, seed: 7 });
    const model = tf.model({ inputs: backbone.inputs, outputs: head.apply(backbone.outputs[0]!) as tf.SymbolicTensor });
    const size = IRESNET_SMALL.inputSize!;
    const images = () => tf.tensor4d(randn(new Rng(1), [BATCH, size, size, 3]), [BATCH, size, size, 3]).mul(60).add(127.5);
    await expectModelMatchesReference(backend, model, {
      label: 'iresnet+ArcMarginHead',
      forward: () => model.predict(images()) as tf.Tensor,
      loss: () => marginSoftmaxLoss(model.apply(images(), { training: true }) as tf.Tensor2D, LABELS),
    });
    model.dispose();
  });
});
