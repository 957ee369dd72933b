/**
 * DenseReg (small trunk, quantized and direct heads, bilinear resize to the input size) exported to ONNX and
 * run in onnxruntime-node against tfjs on the cpu backend: within 1e-4 relative, with the image size left open
 * in the export (two sizes through one graph) and fixed by inputShape.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import { randn } from '@facelab/test-utils';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { createDenseRegNet } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const tiny = { trunk: 'small' as const, smallWidths: [4, 8, 8, 8] as const };
const image = (h: number, w: number, seed: number) => tf.tensor(randn(new Rng(seed), [2, h, w, 3]), [2, h, w, 3]);

describe('DenseReg → ONNX round trip', () => {
  for (const head of ['quantized', 'direct'] as const) {
    it(`${head} head: open image size (two sizes, one graph) and a fixed one`, () => {
      const model = createDenseRegNet({ ...tiny, head, seed: 2 });
      randomizeWeights(model, 51);
      expect(exportOnnx(model).inputs[0]!.shape).toEqual(['batch', 'image_1', 'image_2', 3]);
      for (const [h, w] of [[24, 20], [17, 32]] as const) {
        const x = image(h, w, h + w);
        expectOnnxRoundTrip(model, x);
        x.dispose();
      }
      const x = image(24, 24, 7);
      expectOnnxRoundTrip(model, x, { inputShape: [null, 24, 24, 3] });
      x.dispose();
      model.dispose();
    });
  }
});
