/** Malformed-input corpus of UV sampling, completion and `facelab-rpca uv-complete`. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { describeMalformed, runCli, type MalformedCase } from '@facelab/test-utils';
import { Matrix } from 'ml-matrix';
import { afterAll, beforeAll, expect } from 'vitest';
import { exits } from './helpers.js';
import { rpcaCliProgram } from '../src/cli-program.js';
import { completeUv, pcpsf, renderUv, sampleUv, scoreUvCompletion, uvSubspace, uvSupport, type UvFrame, type UvTexture } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'malformed-uv-'));

/** Writes `count` RGBA maps of w×h (alpha from `alpha`) into folder `name`. */
async function maps(name: string, count: number, w: number, h: number, alpha: (j: number, t: number) => number): Promise<void> {
  mkdirSync(join(dir, name), { recursive: true });
  for (let j = 0; j < count; j++) {
    const data = new Uint8Array(4 * w * h);
    for (let t = 0; t < w * h; t++) data.set([(t * 7 + j * 13) % 256, (t * 3) % 256, 100 + j, alpha(j, t)], 4 * t);
    await writeImage(join(dir, name, `f${j}.png`), { data, width: w, height: h, channels: 4 });
  }
}

beforeAll(async () => {
  await initBackend('cpu');
  mkdirSync(join(dir, 'empty'));
  await maps('ok', 6, 8, 8, (j, t) => (t % 8 === j ? 0 : 255));
  await maps('transparent', 4, 8, 8, () => 0);
  await maps('oblong', 3, 8, 6, () => 255);
  await maps('small', 6, 6, 6, () => 255);
  await maps('one', 1, 8, 8, () => 255);
  mkdirSync(join(dir, 'mixed'));
  await writeImage(join(dir, 'mixed', 'a.png'), { data: new Uint8Array(4 * 64).fill(200), width: 8, height: 8, channels: 4 });
  await writeImage(join(dir, 'mixed', 'b.png'), { data: new Uint8Array(4 * 36).fill(200), width: 6, height: 6, channels: 4 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (over: Partial<UvFrame> = {}): UvFrame => ({ width: 2, height: 2, channels: 1, pixels: [0.1, 0.2, 0.3, 0.4], uv: [0.1, 0.1, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9], ...over });
const tex = (size: number, f: (t: number) => number, mask = 1): UvTexture => ({
  size,
  channels: 3,
  data: Float64Array.from({ length: size * size * 3 }, (_, i) => f(i)),
  mask: new Uint8Array(size * size).fill(mask),
});
const clip = (n: number) => Array.from({ length: n }, (_, j) => tex(4, (i) => ((i * (j + 1)) % 17) / 17));

const api: MalformedCase[] = [
  { name: 'sampleUv frame null', run: () => sampleUv(null as unknown as UvFrame), error: 'sampleUv: frame must be an object (got null)' },
  { name: 'sampleUv width 0', run: () => sampleUv(frame({ width: 0 })), error: 'frame.width must be a positive integer (got 0)' },
  { name: 'sampleUv channels 1.5', run: () => sampleUv(frame({ channels: 1.5 })), error: 'frame.channels must be a positive integer (got 1.5)' },
  { name: 'sampleUv pixels too short', run: () => sampleUv(frame({ pixels: [1, 2] })), error: 'frame.pixels has 2 values but 2×2×1 = 4 are needed' },
  { name: 'sampleUv uv too short', run: () => sampleUv(frame({ uv: [0, 0] })), error: 'frame.uv has 2 values but 2×2×2 = 8 are needed' },
  { name: 'sampleUv uv a string', run: () => sampleUv(frame({ uv: 'abcdefgh' as unknown as number[] })), error: 'frame.uv has -1 values' },
  { name: 'sampleUv visible of the wrong length', run: () => sampleUv(frame({ visible: [1] })), error: 'frame.visible has 1 values but the frame has 4 pixels' },
  { name: 'sampleUv size 0', run: () => sampleUv(frame(), { size: 0 }), error: 'size must be an integer in [1, 4096] (got 0)' },
  { name: 'sampleUv size 2.5', run: () => sampleUv(frame(), { size: 2.5 }), error: 'size must be an integer in [1, 4096] (got 2.5)' },
  {
    name: 'sampleUv with no face pixel (uv all −1) and NaN uv',
    run: () => [sampleUv(frame({ uv: new Array(8).fill(-1) })), sampleUv(frame({ uv: new Array(8).fill(NaN) }))],
    ok: (r) => (r as UvTexture[]).forEach((t) => expect(t.mask.every((v) => v === 0)).toBe(true)),
  },
  { name: 'renderUv uv of the wrong length', run: () => renderUv(tex(4, () => 0.5), [0.5], 2, 2), error: 'renderUv: uv has 1 values but 2×2×2 = 8 are needed' },
  { name: 'uvSupport of textures that observe nothing', run: () => uvSupport([tex(4, () => 0, 0)]), error: 'the UV support is empty' },
  { name: 'uvSupport of no textures', run: () => uvSupport([]), error: 'textures must be a non-empty array of UV textures' },
  { name: 'textures of two sizes', run: () => uvSupport([tex(4, () => 0), tex(5, () => 0)]), error: 'textures[1] is 5×5×3 but textures[0] is 4×4×3' },
  { name: 'texture with a NaN value', run: () => uvSupport([tex(4, (i) => (i === 5 ? NaN : 0))]), error: 'textures[0] value 5 is NaN' },
  { name: 'texture with a number[] as data', run: () => uvSupport([{ ...tex(4, () => 0), data: [0] as unknown as Float64Array }]), error: 'textures[0] is not a UV texture' },
  { name: 'support mask of the wrong length', run: () => uvSupport([tex(4, () => 0)], new Uint8Array(3)), error: 'support must be a Uint8Array of 4×4 = 16 entries' },
  { name: 'completeUv method svd', run: () => completeUv(clip(3), 'svd' as 'pcp'), error: 'method must be one of pcp, pcps, pcpsf (got svd)' },
  { name: 'completeUv pcps prior for fewer frames', run: () => completeUv(clip(3), 'pcps', { prior: clip(2) }), error: 'prior has 2 textures but the clip has 3 frames' },
  { name: 'completeUv pcpsf without a subspace', run: () => completeUv(clip(3), 'pcpsf', { prior: clip(3) }), error: 'pcpsf needs options.subspace' },
  { name: 'completeUv pcpsf subspace with the wrong rows', run: () => completeUv(clip(3), 'pcpsf', { prior: clip(3), subspace: new Matrix(5, 2).fill(1) }), error: 'X has 5 rows but M has 48 rows' },
  { name: 'completeUv a one-frame clip', run: () => completeUv(clip(1), 'pcp'), ok: (r) => expect((r as { textures: UvTexture[] }).textures).toHaveLength(1) },
  { name: 'uvSubspace rank 0', run: () => uvSubspace(clip(3), uvSupport(clip(3)), 0), error: 'rank must be a positive integer (got 0)' },
  { name: 'uvSubspace rank beyond the textures', run: () => uvSubspace(clip(3), uvSupport(clip(3)), 3), error: 'rank 3 needs at least 4 textures (got 3)' },
  { name: 'uvSubspace of identical textures', run: () => uvSubspace([tex(4, () => 0.5), tex(4, () => 0.5), tex(4, () => 0.5)], uvSupport(clip(1)), 1), error: 'the textures span fewer than 1 directions beyond their mean' },
  { name: 'pcpsf left-only with a rank-deficient X', run: () => pcpsf(new Matrix(6, 4).fill(1), new Matrix(6, 4).fill(1), new Matrix(6, 2).fill(1), null), error: 'X has rank lower than its 2 columns' },
  { name: 'scoreUvCompletion with nothing missing', run: () => scoreUvCompletion(tex(12, () => 0), tex(12, () => 0), new Uint8Array(144)), error: 'no missing texel to score' },
  { name: 'scoreUvCompletion sizes differ', run: () => scoreUvCompletion(tex(4, () => 0), tex(12, () => 0), new Uint8Array(144)), error: 'estimate is 4×4×3 but truth is 12×12×3' },
];

const uv = (...args: string[]) => runCli(rpcaCliProgram(), ['uv-complete', ...args]);
const out = () => join(dir, 'out');
const cli: MalformedCase[] = [
  { name: 'an empty folder', run: () => uv('--input', join(dir, 'empty'), '--out', out()), ok: exits(1, `--input ${join(dir, 'empty')}: no .png UV maps`) },
  { name: 'maps that are not square', run: () => uv('--input', join(dir, 'oblong'), '--out', out()), ok: exits(1, 'f0.png is 8×6: UV maps must be square') },
  { name: 'maps of two sizes', run: () => uv('--input', join(dir, 'mixed'), '--out', out()), ok: exits(1, 'b.png is 6×6 but a.png is 8×8') },
  { name: 'every texel transparent', run: () => uv('--input', join(dir, 'transparent'), '--out', out()), ok: exits(1, 'the UV support is empty') },
  { name: 'a single map', run: () => uv('--input', join(dir, 'one'), '--out', out(), '--json'), ok: (r) => expect((r as { code: number }).code).toBe(0) },
  { name: '--rank 0', run: () => uv('--input', join(dir, 'ok'), '--out', out(), '--rank', '0'), ok: exits(2, "'0'") },
  { name: '--alpha -1', run: () => uv('--input', join(dir, 'ok'), '--out', out(), '--alpha', '-1'), ok: exits(2, "'-1'") },
  { name: '--method svd', run: () => uv('--input', join(dir, 'ok'), '--out', out(), '--method', 'svd'), ok: exits(2, "'svd' is invalid") },
  { name: 'pcpsf with one prior map', run: () => uv('--input', join(dir, 'one'), '--out', out(), '--method', 'pcpsf', '--prior', join(dir, 'one')), ok: exits(2, 'needs at least 2 --subspace (or --prior) maps') },
  { name: '--subspace maps of another size', run: () => uv('--input', join(dir, 'ok'), '--out', out(), '--method', 'pcpsf', '--prior', join(dir, 'ok'), '--subspace', join(dir, 'small')), ok: exits(2, '--subspace maps are 6×6 but --input maps are 8×8') },
  { name: '--prior a missing folder', run: () => uv('--input', join(dir, 'ok'), '--out', out(), '--method', 'pcps', '--prior', join(dir, 'absent')), ok: exits(2, join(dir, 'absent')) },
];

const numTensors = () => tf.memory().numTensors;
describeMalformed('rpca uv', api, { numTensors });
describeMalformed('rpca uv-complete', cli, { numTensors });
