/**
 * Exact parameter counts of the full-size networks against the papers' layouts, summed by hand below.
 * Built on wasm: tfjs's orthogonal GRU initialiser takes ~38 s per layer on the cpu backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { createAffWildNet } from '../src/model/affwildnet.js';
import { createOmgNet } from '../src/model/omgnet.js';

// Hand sums: TF GRU (one bias per gate) has 3·(in·h + h·h + h) parameters.
const gru = (input: number, h: number) => 3 * (input * h + h * h + h);
const vggConv = [
  [3, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 256],
  [256, 512], [512, 512], [512, 512], [512, 512], [512, 512], [512, 512],
].reduce((s, [cin, cout]) => s + 9 * cin! * cout! + cout!, 0);
const fc = 4608 * 4096 + 4096;

beforeAll(async () => {
  await initBackend('wasm');
});

function countAndDispose(model: tf.LayersModel): number {
  const n = model.countParams();
  model.dispose();
  return n;
}

describe('full-size parameter counts (96×96, h = 128)', () => {
  it('vgg16 AffWildNet has 35,314,498 parameters', () => {
    expect(vggConv + fc + gru(4096, 128) + gru(128, 128) + 258).toBe(35_314_498);
    expect(countAndDispose(createAffWildNet())).toBe(35_314_498);
  });

  it('OMG 1rnn has 37,083,970 and 3rnn 44,458,818 parameters', () => {
    expect(vggConv + fc + gru(8704, 128) + gru(128, 128) + 258).toBe(37_083_970);
    const subnets = [4096, 18432, 4608].reduce((s, f) => s + gru(f, 128) + gru(128, 128), 0);
    expect(vggConv + fc + subnets + 384 * 2 + 2).toBe(44_458_818);
    expect(countAndDispose(createOmgNet({ variant: '1rnn' }))).toBe(37_083_970);
    expect(countAndDispose(createOmgNet({ variant: '3rnn' }))).toBe(44_458_818);
  });

  it('resnet50 and landmark variants add exactly the GRU input change', () => {
    const resnet = createAffWildNet({ backbone: 'resnet50' });
    // The released ResNet-GRU's TF-slim layout is the default: block 1's last unit strides with a subsampling shortcut.
    expect(resnet.layers.some((l) => l.name === 'resnet50_s1b3_short_pool')).toBe(true);
    // The trunk is core-tensor's resnet50Features (its own tests check it against torchvision).
    const trunk = resnet.layers.filter((l) => l.name.startsWith('resnet50_')).reduce((s, l) => s + l.countParams(), 0);
    expect(trunk).toBeGreaterThan(23_500_000);
    expect(countAndDispose(resnet)).toBe(trunk + gru(2048, 128) + gru(128, 128) + 258);
    expect(countAndDispose(createAffWildNet({ landmarks: true }))).toBe(35_314_498 + 3 * 136 * 128);
  });
});
