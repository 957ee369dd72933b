/**
 * deblur's networks on every GPU backend that loads, against the wasm reference: the single and two-step
 * deblurring networks, forward and two training steps of deblurLoss (L1 + SSIM + low-frequency term), and the
 * two-stream loss through the identity network's embeddings (checked with the identity network trainable, so
 * the reference run gets its weights too and every gradient of the identity term is compared).
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { combineModels, describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { createDeblurNet, createIdentityNet, deblurLoss, identityEmbedding, runDeblur } from '../../src/index.js';

const [BATCH, S] = [2, 16];
const images = (seed: number) => () => tf.tensor4d(randn(new Rng(seed), [BATCH, S, S, 3]), [BATCH, S, S, 3]).sigmoid() as tf.Tensor4D;
const [blurred, sharp] = [images(1), images(2)];

await describeGpuBackends((backend) => {
  for (const variant of ['single', 'two-step'] as const) {
    it(`${variant} deblurring network: forward and training steps (L1 + SSIM + low-frequency terms)`, async () => {
      const net = createDeblurNet({ imageSize: S, filters: [4, 8], variant, seed: 3 });
      // The last convolutions start at zero (an untrained net returns its input); perturb them so their
      // gradients and the forward pass exercise every layer.
      tf.tidy(() => {
        for (const layer of net.model.layers.filter((l) => l.name.endsWith('_out'))) {
          layer.setWeights(layer.getWeights().map((w, i) => tf.mul(0.1, tf.tensor(randn(new Rng(7 + i), w.shape), w.shape))));
        }
      });
      await expectModelMatchesReference(backend, net.model, {
        label: `deblur ${variant}`,
        forward: () => Object.values(runDeblur(net, blurred())).filter((t): t is tf.Tensor4D => t !== undefined),
        loss: () => {
          const out = runDeblur(net, blurred(), true);
          return deblurLoss({ ...out, sharp: sharp() }, { ssim: 0.5 }).total;
        },
      });
      net.model.dispose();
    });
  }

  it('two-stream loss: identity term through the identity network', async () => {
    const net = createDeblurNet({ imageSize: S, filters: [4, 8], seed: 4 });
    const identity = createIdentityNet({ imageSize: S, widths: [4, 4, 8, 8, 8], embeddingSize: 8, seed: 5 });
    await expectModelMatchesReference(backend, combineModels(net.model, identity), {
      label: 'deblur two-stream',
      forward: () => identityEmbedding(identity, runDeblur(net, blurred()).deblurred),
      loss: () => {
        const { deblurred } = runDeblur(net, blurred(), true);
        const target = sharp();
        return deblurLoss(
          { deblurred, sharp: target, embeddingDeblurred: identityEmbedding(identity, deblurred), embeddingSharp: identityEmbedding(identity, target) },
          { identity: 1 },
        ).total;
      },
    });
    net.model.dispose();
    identity.dispose();
  });
});
