/**
 * rocgan's networks on every GPU backend that loads, against the wasm reference: a tiny RoCGAN (regression
 * and autoencoder encoders, shared decoder, discriminator), forward through both pathways and two training
 * steps of the generator and the discriminator objectives (no skip noise, so both backends see the same inputs).
 */
import { it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { combineModels, describeGpuBackends, expectModelMatchesReference } from '@facelab/test-utils/backends';
import { createRocGan, disposeRocGan, rocganDiscriminatorLoss, rocganGeneratorLoss, runPathway } from '../../src/index.js';
import { TINY } from '../helpers.js';

const [BATCH, SIZE] = [2, TINY.imageSize!];
const image = (seed: number) => () => tf.tensor4d(randn(new Rng(seed), [BATCH, SIZE, SIZE, 3]), [BATCH, SIZE, SIZE, 3]).tanh();
const [corrupted, clean] = [image(1), image(2)];

await describeGpuBackends((backend) => {
  it('RoCGAN (tiny): forward and training steps of G and D', async () => {
    const net = createRocGan(TINY);
    const { enc, encAe, dec, dis } = { ...net, encAe: net.encAe! };
    const pathways = (training: boolean) => [runPathway(enc, dec, corrupted(), { training }), runPathway(encAe, dec, clean(), { training })];
    await expectModelMatchesReference(backend, combineModels(enc, encAe, dec), {
      label: 'RoCGAN generator',
      // The L1 terms' sign() makes a few small gradients ill-conditioned: wasm and cpu differ by 1.6e-3 on
      // them (measured); weights whose gradients stay under 1e-2 are compared at that scale.
      gradientFloor: 1e-2,
      forward: () => pathways(false).flatMap((p) => [p.latent, p.image]),
      loss: () => {
        const [reg, ae] = pathways(true) as [ReturnType<typeof runPathway>, ReturnType<typeof runPathway>];
        const [fakeLogits, fakeFeatures] = dis.apply(reg.image, { training: true }) as tf.Tensor[];
        const [, realFeatures] = dis.apply(clean(), { training: true }) as tf.Tensor[];
        const pathwayTerms = { target: clean(), output: reg.image, reconstruction: ae.image, latentReg: reg.latent, latentAe: ae.latent };
        return rocganGeneratorLoss({ fakeLogits: fakeLogits!, fakeFeatures, realFeatures, ...pathwayTerms }).total;
      },
    });
    await expectModelMatchesReference(backend, dis, {
      label: 'RoCGAN discriminator',
      forward: () => dis.predict(clean()) as tf.Tensor[],
      loss: () => {
        const [realLogits, realFeatures] = dis.apply(clean(), { training: true }) as tf.Tensor[];
        const [fakeLogits, fakeFeatures] = dis.apply(corrupted(), { training: true }) as tf.Tensor[];
        return rocganDiscriminatorLoss({ realLogits: realLogits!, fakeLogits: fakeLogits!, realFeatures, fakeFeatures }).total;
      },
    });
    disposeRocGan(net);
  });
});
