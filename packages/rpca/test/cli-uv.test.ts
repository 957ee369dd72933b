/** `facelab-rpca uv-complete` on RGBA UV maps written to disk: completions against the maps' ground truth. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImage } from '@facelab/data';
import { Rng } from '@facelab/runtime';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rpcaCliProgram } from '../src/cli-program.js';
import { readUvFolder, scoreUvCompletion, type UvTexture } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rpca-uv-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = 12;
const FRAMES = 12;
const truth: UvTexture[] = [];

/** Writes textures as RGBA PNGs; alpha 0 where `hide` says a texel is missing. */
async function writeMaps(folder: string, maps: UvTexture[], hide: (j: number, t: number) => boolean): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (const [j, m] of maps.entries()) {
    const data = new Uint8Array(4 * SIZE * SIZE);
    for (let t = 0; t < SIZE * SIZE; t++) {
      for (let k = 0; k < 3; k++) data[4 * t + k] = Math.round(255 * m.data[3 * t + k]!);
      data[4 * t + 3] = hide(j, t) ? 0 : 255;
    }
    await writeImage(join(folder, `frame_${String(j).padStart(2, '0')}.png`), { data, width: SIZE, height: SIZE, channels: 4 });
  }
}

beforeAll(async () => {
  // Rank 2 around a mean: every frame is mean + a·p + b·q, on 8-bit levels.
  const rng = new Rng(4);
  const n = 3 * SIZE * SIZE;
  const [mean, p, q] = [0, 1, 2].map((k) => Float64Array.from({ length: n }, (_, i) => 0.5 + 0.15 * Math.sin(0.37 * i * (k + 1) + k)));
  for (let j = 0; j < FRAMES; j++) {
    const [a, b] = [rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8)];
    const data = Float64Array.from({ length: n }, (_, i) => Math.round(255 * (mean[i]! + a * (p[i]! - 0.5) + b * (q[i]! - 0.5))) / 255);
    truth.push({ size: SIZE, channels: 3, data, mask: new Uint8Array(SIZE * SIZE).fill(1) });
  }
  // A band of 3 columns hidden per frame, moving with the frame (like a turning head's far side).
  await writeMaps(join(dir, 'in'), truth, (j, t) => Math.abs((t % SIZE) - (j % SIZE)) <= 1);
  await writeMaps(join(dir, 'prior'), truth.map((t) => ({ ...t, data: t.data.map((v) => Math.min(1, Math.max(0, v + 0.04 * rng.normal()))) })), () => false);
});

/** Mean PSNR on the hidden band of the completions written to `out`. */
async function bandPsnr(out: string): Promise<number> {
  const { names, textures } = await readUvFolder(out, '--out');
  expect(names).toEqual(readdirSync(join(dir, 'in')).sort());
  return textures.reduce((s, t, j) => s + scoreUvCompletion(t, truth[j]!, Uint8Array.from({ length: SIZE * SIZE }, (_, i) => (Math.abs((i % SIZE) - (j % SIZE)) <= 1 ? 1 : 0))).psnr, 0) / FRAMES;
}

test('uv-complete --method pcp fills the hidden band of a rank-2 clip (PSNR > 28 dB; the zero-filled input scores ≈ 6 dB)', async () => {
  const run = await runCli(rpcaCliProgram(), ['uv-complete', '--input', join(dir, 'in'), '--out', join(dir, 'pcp'), '--json']);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ method: 'pcp', frames: FRAMES, size: SIZE, converged: true });
  // Three hidden columns per frame, two in the frames whose band touches the edge (j = 0, 11): 34 of 144 texels.
  expect(JSON.parse(run.stdout).missing).toBeCloseTo(34 / 144, 12);
  expect(await bandPsnr(join(dir, 'pcp'))).toBeGreaterThan(28);
});

test('uv-complete --method pcps / pcpsf with --prior (and X from the prior maps) complete it too', async () => {
  for (const method of ['pcps', 'pcpsf']) {
    const run = await runCli(rpcaCliProgram(), ['uv-complete', '--input', join(dir, 'in'), '--out', join(dir, method), '--method', method, '--prior', join(dir, 'prior'), '--rank', '3', '--alpha', '0.2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${method}: 12 UV maps of 12×12, 23\\.6 % of support texels missing; converged`));
    expect(await bandPsnr(join(dir, method))).toBeGreaterThan(30);
  }
});

test('uv-complete: a missing or mismatched prior is one line, exit 2', async () => {
  const none = await runCli(rpcaCliProgram(), ['uv-complete', '--input', join(dir, 'in'), '--out', join(dir, 'x'), '--method', 'pcps']);
  expect(none).toMatchObject({ code: 2, stderr: 'facelab-rpca: --method pcps needs --prior <folder> (one complete UV map per frame, same names)\n' });
  mkdirSync(join(dir, 'short'));
  await writeMaps(join(dir, 'short'), truth.slice(0, 2), () => false);
  const short = await runCli(rpcaCliProgram(), ['uv-complete', '--input', join(dir, 'in'), '--out', join(dir, 'x'), '--method', 'pcps', '--prior', join(dir, 'short')]);
  expect(short.code).toBe(2);
  expect(short.stderr).toMatch(/^facelab-rpca: --prior must hold one map per --input map with the same names \(12 vs 2 maps; 'frame_02\.png' has no match\)\n$/);
  const help = await runCli(rpcaCliProgram(), ['uv-complete', '--help']);
  expect(help.stdout).toMatch(/--prior <folder>/);
});

describeCliConventions(rpcaCliProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['uv-complete'],
  missingFile: { args: ['uv-complete', '--input', join(dir, 'nope'), '--out', dir], path: join(dir, 'nope') },
  notANumber: { args: ['uv-complete', '--input', dir, '--out', dir, '--rank', 'abc'], flag: '--rank' },
});
