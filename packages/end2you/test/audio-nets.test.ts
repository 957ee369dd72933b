import { describe, expect, it } from 'vitest';
import { tf } from '@facelab/core-tensor';
import { expectClose, readGolden } from '@facelab/test-utils';
import { emo16FeatureCount, emo16Features } from '../src/model/emo16.js';
import { EMO18_MIN_SAMPLES, emo18FeatureCount, emo18Features } from '../src/model/emo18.js';
import { zhao19FeatureCount, zhao19Features } from '../src/model/zhao19.js';

/** make_audio_nets.py's formula for a tensor in PyTorch layout: scale · sin(0.37·i + phase). */
function formula(n: number, scale: number, phase: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => scale * Math.sin(0.37 * i + phase));
}

/** Sets conv `layer`'s kernel and bias from the formula (PyTorch [out, in, k] → tfjs [k, in, out]). */
function setConv(model: tf.LayersModel, layer: string, phase: number): void {
  const conv = model.getLayer(layer);
  const [k, cin, cout] = conv.getWeights()[0]!.shape as [number, number, number];
  const w = tf.tidy(() => tf.transpose(tf.tensor3d(formula(cout * cin * k, 0.1, phase + 1), [cout, cin, k]), [2, 1, 0]));
  const b = tf.tensor1d(formula(cout, 0.1, phase));
  conv.setWeights([w, b]);
  tf.dispose([w, b]);
}

function run(build: (x: tf.SymbolicTensor) => tf.SymbolicTensor, samples: number, frames: number, convs: [string, number][]) {
  const x = tf.input({ shape: [samples] });
  const model = tf.model({ inputs: x, outputs: build(x) });
  for (const [layer, phase] of convs) setConv(model, layer, phase);
  const input = tf.tensor2d(formula(frames * samples, 0.5, 0.3), [frames, samples]);
  const out = model.predict(input) as tf.Tensor;
  const values = out.arraySync() as number[][];
  tf.dispose([input, out]);
  model.dispose();
  return values;
}

const golden = readGolden<Record<string, number[][]>>(import.meta.url, 'audio_nets.json');

describe('audio encoders against PyTorch (make_audio_nets.py)', () => {
  it('Emo16 gives 1276 features on 640 samples, equal to the transposed channel pool', () => {
    expect(emo16FeatureCount(640)).toBe(1276);
    const out = run((x) => emo16Features(x, { inputDropout: 0 }), 640, 2, [['emo16_b1_conv', 0], ['emo16_b2_conv', 10]]);
    expect(out[0]!.length).toBe(1276);
    expectClose(out, golden.emo16_transpose!, { atol: 1e-4, rtol: 1e-4 });
  });

  it("Emo16 with upstreamView reproduces upstream's (channel, time) → (time, channel) view", () => {
    const out = run((x) => emo16Features(x, { inputDropout: 0, upstreamView: true }), 640, 2, [['emo16_b1_conv', 0], ['emo16_b2_conv', 10]]);
    expectClose(out, golden.emo16_view!, { atol: 1e-4, rtol: 1e-4 });
    expect(Math.max(...out[0]!.map((v, i) => Math.abs(v - golden.emo16_transpose![0]![i]!)))).toBeGreaterThan(1e-2);
  });

  it('Emo18 matches on 800 samples and is a clear error on 640 naming the 731-sample minimum', () => {
    expect(EMO18_MIN_SAMPLES).toBe(731);
    expect(emo18FeatureCount(731)).toBe(256);
    expect(() => emo18FeatureCount(730)).toThrow(/730 samples are too short; Emo18 needs at least 731 samples/);
    expect(() => emo18Features(tf.input({ shape: [640] }))).toThrow(/640 samples are too short; Emo18 needs at least 731/);
    const convs: [string, number][] = [0, 1, 2].map((b) => [`emo18_b${b + 1}_conv`, 10 * b]);
    expectClose(run((x) => emo18Features(x), 800, 1, convs), golden.emo18_800!, { atol: 1e-4, rtol: 1e-4 });
  });

  it('Zhao19 gives 256 features on 640 samples and matches', () => {
    expect(zhao19FeatureCount(640)).toBe(256);
    expect(() => zhao19FeatureCount(200)).toThrow(/needs at least 256 samples/);
    const convs: [string, number][] = [0, 1, 2, 3].map((b) => [`zhao19_b${b + 1}_conv`, 10 * b]);
    expectClose(run((x) => zhao19Features(x), 640, 2, convs), golden.zhao19_640!, { atol: 1e-4, rtol: 1e-4 });
  });
});
