/**
 * augment's networks on every GPU backend that loads, against the wasm reference: the autoencoder with its
 * latent linear model (E, D, A), forward and two training steps of augmentLoss, and the identity classifier,
 * forward and two training steps of softmax cross-entropy.
 */
import { it } from 'vitest';
import { crossEntropyLoss, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { combineModels, describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { augmentLoss, createAugmentAutoencoder, createIdentityClassifier } from '../../src/index.js';

const [BATCH, H, W] = [4, 8, 16];
const images = (seed: number) => () => tf.tensor4d(randn(new Rng(seed), [BATCH, H, W, 1]), [BATCH, H, W, 1]).sigmoid() as tf.Tensor4D;
const [x0, x1] = [images(1), images(2)];

await describeGpuBackends((backend) => {
  it('autoencoder + latent linear model: forward and training steps', async () => {
    const net = createAugmentAutoencoder({ imageShape: [H, W, 1], latentDim: 3, filters: [2, 4], seed: 6 });
    await expectModelMatchesReference(backend, combineModels(net.encoder, net.decoder, net.dynamics.model), {
      label: 'augment autoencoder',
      forward: () => {
        const z = net.encode(x0());
        return [z, net.decode(net.dynamics.apply(z))];
      },
      loss: () => augmentLoss(net, x0(), x1()).loss,
    });
    net.dispose();
  });

  it('identity classifier: forward and training steps', async () => {
    const model = createIdentityClassifier({ imageShape: [H, W, 1], classes: 5, filters: [4, 8, 8], seed: 2 });
    const labels = () => tf.oneHot(tf.tensor1d([0, 4, 2, 2], 'int32'), 5);
    await expectModelMatchesReference(backend, model, {
      label: 'identity classifier',
      forward: () => model.predict(x0()) as tf.Tensor,
      loss: () => crossEntropyLoss(labels(), model.apply(x0(), { training: true }) as tf.Tensor),
    });
    model.dispose();
  });
});
