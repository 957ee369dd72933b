/**
 * RoCGAN's inference pathway (enc + decoder with skips, transposed convolutions, batch norm, leaky ReLU, tanh)
 * exported to ONNX and run in onnxruntime-node against predictRocGan's tfjs pathway on the cpu backend: within
 * 1e-4 relative, for the rocgan and cgan variants, with seeded random weights.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { createRocGan, disposeRocGan, exportRocGanOnnx, predictRocGan, rocganGenerator } from '../src/index.js';
import { TINY } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('RoCGAN generator → ONNX round trip', () => {
  for (const variant of ['rocgan', 'cgan'] as const) {
    it(`${variant}: the exported pathway matches tfjs; the generator model is predictRocGan`, () => {
      const net = createRocGan({ ...TINY, variant, seed: 3 });
      const generator = rocganGenerator(net);
      randomizeWeights(generator, 31);
      const x = tf.tensor(randn(new Rng(9), [2, 32, 32, 3]), [2, 32, 32, 3]) as tf.Tensor4D;
      expectOnnxRoundTrip(generator, x);
      const viaModel = generator.predict(x) as tf.Tensor;
      const viaPredict = predictRocGan(net, x);
      expect(Array.from(viaModel.dataSync())).toEqual(Array.from(viaPredict.dataSync()));
      expect(exportRocGanOnnx(net).inputs).toEqual([{ name: 'corrupted', shape: ['batch', 32, 32, 3] }]);
      tf.dispose([x, viaModel, viaPredict]);
      disposeRocGan(net);
    });
  }
});
