import { initBackend, tf } from '@facelab/core-tensor';
import { DEEPLAB_RGB_MEAN } from '@facelab/densereg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDeblurNet,
  denseRegLocator,
  denseRegSample,
  evaluateDeblur,
  landmarkError,
  meanLandmarkError,
  type LandmarkLocator,
  type PairSet,
} from '../src/index.js';
import { texture } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 68 points on a grid (x = 2 + k mod 10, y = 2 + ⌊k / 10⌋) with the outer eye corners (points 36 and 45) placed at `eyeL` and `eyeR`. */
function truthPoints(eyeL: [number, number], eyeR: [number, number]): Float32Array {
  const p = Float32Array.from({ length: 136 }, (_, i) => (i % 2 === 0 ? 2 + ((i / 2) % 10) : 2 + Math.floor(i / 2 / 10)));
  p.set(eyeL, 72);
  p.set(eyeR, 90);
  return p;
}
const shifted = (p: Float32Array, dx: number, dy: number) => p.map((v, i) => v + (i % 2 === 0 ? dx : dy));

describe('landmarkError', () => {
  // Outer eye corners (10, 20) and (16, 28): inter-ocular distance √(6² + 8²) = 10.
  const truth = truthPoints([10, 20], [16, 28]);

  it('is the mean point distance over the inter-ocular distance (hand computation)', () => {
    expect(landmarkError(truth, truth)).toBe(0);
    // Every point off by (3, 4): distance 5 each, 5 / 10.
    expect(landmarkError(shifted(truth, 3, 4), truth)).toBeCloseTo(0.5, 6);
    // One point off by (6, 8): (10 / 68) / 10.
    const one = truth.slice();
    one[0]! += 6;
    one[1]! += 8;
    expect(landmarkError(one, truth)).toBeCloseTo(1 / 68, 7);
    // Normalised by the ground truth's eye corners, not the prediction's: moving only the predicted corners
    // 36 and 45 by (0, 5) gives 2 · 5 / 68 / 10.
    const eyes = truth.slice();
    eyes[73]! += 5;
    eyes[91]! += 5;
    expect(landmarkError(eyes, truth)).toBeCloseTo(10 / 68 / 10, 7);
  });

  it('is NaN for a prediction with a missing point; the mean leaves it out and counts it', () => {
    const missing = truth.slice();
    missing[40] = Number.NaN;
    expect(landmarkError(missing, truth)).toBeNaN();
    const r = meanLandmarkError([shifted(truth, 3, 4), missing, truth], [truth, truth, truth]);
    expect(r.error).toBeCloseTo(0.25, 6);
    expect(r.failures).toBe(1);
    expect(meanLandmarkError([missing], [truth])).toEqual({ error: Number.NaN, failures: 1 });
  });

  it('names bad input', () => {
    expect(() => landmarkError(new Float32Array(10), truth)).toThrow('landmarks must be 68 points (136 values), got 10 predicted');
    expect(() => landmarkError(truth, truth.map((v, i) => (i === 3 ? Infinity : v)))).toThrow('ground-truth landmarks contain non-finite values');
    expect(() => meanLandmarkError([truth], [truth, truth])).toThrow('1 predictions for 2 ground truths');
  });
});

describe('evaluateDeblur with a landmark measure', () => {
  const size = 16;
  const n = 4;
  const sharp = Array.from({ length: n }, (_, i) => texture(size, size, 10 + i, 2));
  const blurred = sharp.map((im, i) => im.map((v, j) => 0.5 * v + 0.5 * texture(size, size, 20 + i, 2)[j]!));
  const data: PairSet = { blurred, sharp, size, channels: 3, names: sharp.map((_, i) => `p${i}`) };
  const truth = Array.from({ length: n }, (_, i) => truthPoints([3 + i, 4], [9 + i, 12])); // IOD 10
  // A locator whose points move right by 10 × the mean |image − sharp| of the pair: hand-checkable errors.
  const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, v, j) => s + Math.abs(v - b[j]!), 0) / a.length;
  const locate: LandmarkLocator = (images) => images.map((im, i) => shifted(truth[i]!, 10 * meanAbs(im, sharp[i]!), 0));

  it('scores the blurred input and each network against the sharp frame truth', () => {
    // An untrained residual network returns its input, so its landmark error is the blurred input's.
    const net = createDeblurNet({ imageSize: size, filters: [4, 8], seed: 1 });
    const before = tf.memory().numTensors;
    const r = evaluateDeblur({ data, nets: { net }, landmarks: { locate, truth } });
    expect(tf.memory().numTensors).toBe(before);
    const want = blurred.reduce((s, b, i) => s + (10 * meanAbs(b, sharp[i]!)) / 10, 0) / n;
    expect(r.blurred!.landmarkError).toBeCloseTo(want, 5);
    expect(r.blurred!.landmarkFailures).toBe(0);
    expect(r.net!.landmarkError).toBeCloseTo(want, 5);
    expect(r.blurred!.identityCosine).toBeUndefined();
    net.model.dispose();
  });

  it('names a ground truth of the wrong count or length, and a locator that returns too few results', () => {
    expect(() => evaluateDeblur({ data, nets: {}, landmarks: { locate, truth: truth.slice(1) } })).toThrow('3 landmark ground truths for 4 pairs');
    const bad = [...truth.slice(0, 3), new Float32Array(134)];
    expect(() => evaluateDeblur({ data, nets: {}, landmarks: { locate, truth: bad } })).toThrow('landmark ground truth 3 has 134 values');
    expect(() => evaluateDeblur({ data, nets: {}, landmarks: { locate: () => [], truth } })).toThrow('the landmark locator returned 0 results for 4 images');
  });
});

describe('denseRegLocator', () => {
  // A "DenseReg" whose direct head reads û from the red and v̂ from the green channel (1×1 convolution undoing
  // DeepLab's mean), every pixel foreground: on a ramp image (red = x / 15, green = y / 15) the landmark of
  // template (u, v) is the pixel at (15u, 15v).
  const size = 16;
  const rampModel = () => {
    const input = tf.input({ shape: [null, null, 3] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'ramp' });
    const model = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
    const kernel = new Float32Array(12);
    kernel[0 * 4 + 2] = 1 / 255;
    kernel[1 * 4 + 3] = 1 / 255;
    const bias = [0, 1, DEEPLAB_RGB_MEAN[0] / 255, DEEPLAB_RGB_MEAN[1] / 255];
    conv.setWeights([tf.tensor4d(kernel, [1, 1, 3, 4]), tf.tensor1d(bias)]);
    return model;
  };
  const ramp = Float32Array.from({ length: size * size * 3 }, (_, i) => {
    const px = Math.floor(i / 3);
    return i % 3 === 0 ? (px % size) / (size - 1) : i % 3 === 1 ? Math.floor(px / size) / (size - 1) : 0.5;
  });
  const grid = Float32Array.from({ length: 136 }, (_, i) => (i % 2 === 0 ? 2 + ((i / 2) % 10) : 2 + Math.floor(i / 2 / 10)));

  it('finds each template point at its pixel, at scale 1 and mapped back from scale 2, without leaking', () => {
    const model = rampModel();
    const before = tf.memory().numTensors;
    const at1 = denseRegLocator({ model, template: grid.map((v) => v / (size - 1)), head: 'direct' })([ramp, ramp], size);
    expect(Array.from(at1[1]!)).toEqual(Array.from(grid));
    // At scale 2 the bilinear ramp has source coordinate (x' + ½)/2 − ½ at pixel x': a template at x + ¼ falls
    // exactly on x' = 2x + 1, which maps back to x + ¼.
    const at2 = denseRegLocator({ model, template: grid.map((v) => (v + 0.25) / (size - 1)), head: 'direct', scale: 2 })([ramp], size);
    at2[0]!.forEach((v, i) => expect(v).toBeCloseTo(grid[i]! + 0.25, 5));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('names a template of the wrong length', () => {
    expect(() => denseRegLocator({ model: {} as tf.LayersModel, template: new Float32Array(10) })).toThrow('68 (u, v) pairs, got 5');
  });
});

describe('denseRegSample', () => {
  it('scales pixels to 0–255, upsamples U-V by nearest and moves landmarks to the half-pixel grid', () => {
    const uv = Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => [0.1, 0.2, -1, -1, 0.5, 0.6, 0.7, 0.8][i]!);
    const image = new Float32Array(2 * 2 * 3).fill(0.5);
    const lm = new Float32Array(136).fill(1);
    const before = tf.memory().numTensors;
    const s = denseRegSample(image, 2, { scale: 2, uv, landmarks: lm, name: 'x' });
    expect(tf.memory().numTensors).toBe(before);
    expect([s.width, s.height, s.name]).toEqual([4, 4, 'x']);
    expect(Array.from(s.image)).toEqual(new Array(48).fill(127.5));
    // Row 0 of the 4×4 map: source pixels (0, 0), (0, 0), (1, 0), (1, 0).
    expect(Array.from(s.u!.slice(0, 4))).toEqual([0.1, 0.1, -1, -1].map(Math.fround));
    expect(Array.from(s.v!.slice(12, 16))).toEqual([0.6, 0.6, 0.8, 0.8].map(Math.fround));
    expect(s.landmarks![0]).toBe(2.5); // (1 + ½)·2 − ½
    expect(() => denseRegSample(image, 2, { scale: 1.5 })).toThrow('scale must be a positive integer, got 1.5');
    expect(() => denseRegSample(image, 3)).toThrow('the image has 12 values, not 3×3×3');
    expect(() => denseRegSample(image, 2, { uv: new Float32Array(3) })).toThrow('the U-V map has 3 values, not 2×2×2');
  });
});
