/**
 * The IR-ResNet exported to ONNX (core-tensor's exportOnnx) and run in onnxruntime-node against tfjs on the
 * cpu backend: embeddings within 1e-4 relative, for the small test configuration and a deeper, wider one with
 * two units per stage, with seeded random weights (batch-norm statistics away from 0 and 1); and embed() with
 * runtime 'onnx' against embed() on tfjs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, initBackend, tf } from '@facelab/core-tensor';
import { Rng, parseOnnxModel } from '@facelab/runtime';
import { expectOnnxRoundTrip, randomizeWeights } from '@facelab/test-utils/onnx';
import { embed, IRESNET_SMALL, iresnet } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function pixels(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => 255 * rng.uniform()), shape);
}

describe('iresnet → ONNX round trip', () => {
  it('small configuration: embeddings match tfjs; one Conv per convolution, BN, PRelu, one Gemm', () => {
    const model = iresnet({ ...IRESNET_SMALL, seed: 3 });
    randomizeWeights(model, 11);
    const x = pixels([3, 32, 32, 3], 5);
    const [err] = expectOnnxRoundTrip(model, x);
    expect(err).toBeGreaterThan(0); // two engines, not one result read twice
    const ops = parseOnnxModel(exportOnnx(model).bytes).nodes.map((n) => n.opType);
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').length;
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(convs);
    expect(ops.filter((o) => o === 'Gemm')).toHaveLength(1);
    // NHWC → NCHW once at the input, none inside the network (the flatten → FC takes C·H·W order).
    expect(ops.filter((o) => o === 'Transpose')).toHaveLength(1);
    tf.dispose(x);
    model.dispose();
  });

  it('two units per stage, 48×48, 128-d embedding', () => {
    const model = iresnet({ units: [2, 2, 2, 2], widths: [8, 16, 16, 32, 32], inputSize: 48, embeddingSize: 128, seed: 4 });
    randomizeWeights(model, 12);
    const x = pixels([2, 48, 48, 3], 6);
    expectOnnxRoundTrip(model, x);
    tf.dispose(x);
    model.dispose();
  });

  it("embed(..., { runtime: 'onnx' }) gives tfjs's embeddings (flip on, batches of 2), leaks nothing, names a bad runtime", () => {
    const model = iresnet({ ...IRESNET_SMALL, seed: 5 });
    randomizeWeights(model, 13);
    const x = pixels([5, 32, 32, 3], 7) as tf.Tensor4D;
    const ref = embed(model, x, { batchSize: 2 });
    const before = tf.memory().numTensors;
    const viaOnnx = embed(model, x, { batchSize: 2, runtime: 'onnx' });
    expect(tf.memory().numTensors).toBe(before);
    viaOnnx.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ref[i]![j]!)).toBeLessThan(1e-5)));
    expect(() => embed(model, x, { runtime: 'torch' as never })).toThrow(/^embed: runtime must be 'tfjs' or 'onnx', got 'torch'$/);
    x.dispose();
    model.dispose();
  });
});
