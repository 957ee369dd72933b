import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters, createRocGan, disposeRocGan, predictRocGan, resolveArchitecture, runPathway } from '../src/index.js';
import { golden } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('createRocGan', () => {
  it('has the parameter counts of the same layout in PyTorch (golden), for each config', () => {
    for (const g of golden.configs) {
      const net = createRocGan({ imageSize: g.imageSize, channels: g.channels, skips: g.skips });
      const counts = countParameters(net);
      expect({ enc: counts.enc, encAe: counts.encAe, dec: counts.dec, dis: counts.dis }, `${g.imageSize} skips=${g.skips}`).toEqual({
        enc: g.enc,
        encAe: g.enc,
        dec: g.dec,
        dis: g.dis,
      });
      expect(net.dis.outputs[1]!.shape).toEqual([null, g.disFeatures]);
      disposeRocGan(net);
    }
  });

  it('encodes 64→32→16→8→4→1 with 512 latent channels and decodes to 3×64×64 in [−1, 1]', () => {
    const net = createRocGan();
    const sizes = net.enc.layers.filter((l) => l.name.includes('_act')).map((l) => (l.output as tf.SymbolicTensor).shape[1]);
    expect(sizes).toEqual(golden.configs[0]!.encoderSizes);
    const x = tf.randomUniform([2, 64, 64, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const { image, latent } = runPathway(net.enc, net.dec, x, { training: false });
    expect(latent.shape).toEqual([2, 1, 1, 512]);
    expect(image.shape).toEqual([2, 64, 64, 3]);
    const v = image.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    tf.dispose([image, latent]);
    const y = predictRocGan(net, x);
    expect(y.shape).toEqual([2, 64, 64, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    disposeRocGan(net);
  });

  it('builds the cGAN without an AE encoder, seeds weights, starts the EMA equal to enc + dec', () => {
    const a = createRocGan({ variant: 'cgan', imageSize: 32, channels: [8, 8, 8, 8], seed: 5 });
    const b = createRocGan({ variant: 'cgan', imageSize: 32, channels: [8, 8, 8, 8], seed: 5 });
    expect(a.encAe).toBeUndefined();
    expect(Array.from(a.dec.getWeights()[0]!.dataSync())).toEqual(Array.from(b.dec.getWeights()[0]!.dataSync()));
    a.ema.enc.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(a.enc.getWeights()[i]!.dataSync())));
    disposeRocGan(a);
    disposeRocGan(b);
  });

  it('rejects sizes that do not fit, and bad inputs to predict, naming the option or shape', () => {
    expect(() => resolveArchitecture({ imageSize: 48 })).toThrow(/imageSize 48 does not fit 5 encoder layers \(they need 64/);
    expect(() => resolveArchitecture({ channels: [] })).toThrow(/architecture.channels must be a non-empty array/);
    expect(() => createRocGan({ variant: 'pix2pix' as never })).toThrow(/variant must be 'rocgan' or 'cgan'/);
    const net = createRocGan({ imageSize: 32, channels: [8, 8, 8, 8] });
    const x = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    expect(() => predictRocGan(net, x)).toThrow('predictRocGan: x must be [N, 32, 32, 3], got [1,64,64,3]');
    x.dispose();
    disposeRocGan(net);
  });
});
