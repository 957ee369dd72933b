import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@facelab/core-tensor';
import {
  decodeImage,
  readPairs,
  readPts,
  readVideoFrames,
} from '@facelab/data';
import { readCsv, mixSeed } from '@facelab/runtime';
import {
  SYNTH_EMOTIONS,
  motionBlurParams,
  renderClip,
  renderFace,
  sampleFaceParams,
} from '../src/index.js';
import { synthProgram } from '../src/program.js';
import { describeCliConventions, runCli } from '@facelab/test-utils';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'facelab-synth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<void> {
  await synthProgram().parseAsync(['node', 'facelab-synth', ...args]);
}

/** Every frame of a video, through the data module's ffmpeg reader. */
async function decodeVideo(path: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for await (const f of readVideoFrames(path)) frames.push(Uint8Array.from(f.data));
  return frames;
}

/** PSNR in dB between two byte images. */
function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

describe('facelab-synth CLI', () => {
  it('has --help on every command', () => {
    const program = synthProgram();
    expect(program.commands.map((c) => c.name())).toEqual(['lfw', '300w', 'clips', 'deblur']);
    for (const c of program.commands) {
      const help = c.helpInformation();
      expect(help).toContain('-o, --out <path>');
      expect(help).toContain('--json');
      expect(help).toContain('--help');
    }
  });

  it('rejects a missing --out and a bad number: one line, exit 2', async () => {
    expect(await runCli(synthProgram(), ['300w'])).toMatchObject({ code: 2, stderr: "facelab-synth: required option '-o, --out <path>' not specified\n" });
    expect(await runCli(synthProgram(), ['300w', '-o', dir, '--count', 'many'])).toMatchObject({
      code: 2,
      stderr: "facelab-synth: option '--count <n>' argument 'many' is invalid. expected an integer ≥ 0\n",
    });
  });

  it('--json prints what was written', async () => {
    const out = join(dir, 'json');
    const run = await runCli(synthProgram(), ['300w', '-o', out, '--count', '2', '--size', '32', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ out, wrote: [join(out, 'synth_0001.png'), join(out, 'synth_0002.png')] });
  });

  it('writes the LFW layout: identity folders and a pairs.txt whose images all exist', async () => {
    const out = join(dir, 'lfw');
    await cli('lfw', '-o', out, '--identities', '4', '--images-per-identity', '3', '--pairs-per-fold', '5', '--size', '64');
    const pairs = await readPairs(join(out, 'pairs.txt'));
    expect(pairs.folds).toBe(1);
    expect(pairs.pairs.filter((p) => p.same).length).toBe(5);
    expect(pairs.pairs.filter((p) => !p.same).length).toBe(5);
    for (const p of pairs.pairs) {
      expect(p.same).toBe(p.a.name === p.b.name);
      if (p.same) expect(p.a.index).not.toBe(p.b.index);
      for (const ref of [p.a, p.b]) expect((await decodeImage(join(out, 'lfw', ref.path))).width).toBe(64);
    }
    expect((await readdir(join(out, 'lfw'))).length).toBe(4);
  });

  it('writes the 300-W layout: images with .pts files holding the 68 landmarks', async () => {
    const out = join(dir, 'w300');
    await cli('300w', '-o', out, '--count', '3', '--size', '64', '--seed', '5');
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['synth_0001.png', 'synth_0001.pts', 'synth_0002.png', 'synth_0002.pts', 'synth_0003.png', 'synth_0003.pts']);
    const { synthFace } = await import('../src/index.js');
    const face = synthFace(mixSeed(5, 1), { size: 64, occlusion: 0.2 });
    const pts = await readPts(join(out, 'synth_0002.pts'));
    expect(pts.length).toBe(68);
    pts.forEach(([x, y], k) => {
      expect(Math.abs(x - face.landmarks[2 * k]!)).toBeLessThanOrEqual(5e-4);
      expect(Math.abs(y - face.landmarks[2 * k + 1]!)).toBeLessThanOrEqual(5e-4);
    });
    const png = await decodeImage(join(out, 'synth_0002.png'));
    expect(Buffer.from(png.data).equals(Buffer.from(face.image))).toBe(true); // PNG is lossless
  });

  it('writes clips as videos with per-frame label CSVs', async () => {
    const out = join(dir, 'clips');
    await cli('clips', '-o', out, '--count', '1', '--frames', '6', '--size', '48', '--format', 'mp4');
    const frames = await decodeVideo(join(out, 'clip_0001.mp4'));
    expect(frames.length).toBe(6);
    const labels = await readCsv(join(out, 'clip_0001.csv'));
    expect(labels.header).toEqual(['frame', 'valence', 'arousal', 'emotion']);
    const clip = renderClip(mixSeed(0, 0, 0xc0), { frames: 6, size: 48 });
    labels.rows.forEach((r, i) => {
      expect(Number(r.fields[1])).toBeCloseTo(clip[i]!.valence, 4);
      expect(SYNTH_EMOTIONS).toContain(r.fields[3]);
    });
    expect(psnr(frames[3]!, clip[3]!.image)).toBeGreaterThan(25);
  });

  it('writes deblurring pairs: the blurred PNG is the quantised mean of the sub-frames', async () => {
    const out = join(dir, 'deblur');
    await cli('deblur', '-o', out, '--count', '2', '--size', '48', '--sub-frames', '5');
    expect((await readdir(join(out, 'blurred'))).sort()).toEqual(['0001.png', '0002.png']);
    const seed = mixSeed(0, 1, 0xdb);
    const subs = motionBlurParams(sampleFaceParams(seed, { size: 48 }), seed, { subFrames: 5 });
    const frames = subs.map((p) => renderFace(p).rgb);
    const blurred = await decodeImage(join(out, 'blurred', '0002.png'));
    const sharp = await decodeImage(join(out, 'sharp', '0002.png'));
    let worst = 0;
    for (let k = 0; k < blurred.data.length; k++) {
      const mean = frames.reduce((acc, f) => acc + f[k]!, 0) / frames.length;
      worst = Math.max(worst, Math.abs(blurred.data[k]! - mean * 255));
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3); // rounding only
    expect(Buffer.from(sharp.data).equals(Buffer.from(renderFace(subs[2]!).image))).toBe(true);
  });
});

// facelab-synth reads no input files: its "missing file" is an output folder whose parent is a file.
describeCliConventions(synthProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['300w'],
  missingFile: { args: ['300w', '-o', '/dev/null/synth', '--count', '1'], path: '/dev/null/synth' },
  notANumber: { args: ['300w', '-o', '/tmp/synth', '--size', 'abc'], flag: '--size' },
});
