import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import h5wasm from 'h5wasm/node';
import { writeVideo, writeWav } from '@facelab/data';
import { expectClose } from '@facelab/test-utils';
import { clampBox, generate } from '../src/data/generate.js';
import { readEnd2YouHdf5, writeEnd2YouHdf5 } from '../src/data/hdf5.js';
import { parseInputList, parseLabelFile, samplesPerStep, writeLabelFile } from '../src/data/labels.js';
import { writeSignalCsv } from '../src/data/signals.js';

const golden = (f: string) => fileURLToPath(new URL(`./golden/${f}`, import.meta.url));
const hasH5py = spawnSync('/usr/bin/python3', ['-c', 'import h5py']).status === 0;

describe('label files and step sizes', () => {
  it('parses time,label rows: step i covers [t_i, t_{i+1}), so the last row only closes a step', () => {
    const l = parseLabelFile('time,arousal,valence\n0,0.1,0.2\n0.04,0.3,0.4\n0.08,0.5,0.6\n', 'a.csv');
    expect(l.names).toEqual(['arousal', 'valence']);
    expect(l.times).toEqual([0, 0.04]);
    expect(l.step).toBeCloseTo(0.04, 12);
    expectClose(l.values, [0.1, 0.2, 0.3, 0.4], { atol: 1e-7 });
  });

  it('names the file and row of bad label files', () => {
    expect(() => parseLabelFile('t,a\n0,1\n1,2\n', 'x.csv')).toThrow(/^x\.csv:1: the first column must be 'time'/);
    expect(() => parseLabelFile('time,a\n0,1\n0.04,2\n0.02,3\n', 'x.csv')).toThrow(/^x\.csv:4: time 0\.02 does not increase/);
    expect(() => parseLabelFile('time,a\n0,1\n0.04,2\n0.1,3\n', 'x.csv')).toThrow(/^x\.csv:4: step 0\.06.* differs from the first step/);
    expect(() => parseLabelFile('time,a\n0,1\n0.04,oops\n', 'x.csv')).toThrow(/^x\.csv:3: column 'a' is not a number: 'oops'/);
    expect(() => parseLabelFile('time,a\n0,1\n', 'x.csv')).toThrow(/at least 2 rows/);
    expect(() => parseInputList('raw,label\nonly-one-cell\n', '/d', 'list.csv')).toThrow(/^list\.csv:2: expected 'raw file/);
  });

  it("rounds rate·Δt near an integer (upstream's int() gives 0 frames for 0.033333 s at 30 fps)", () => {
    expect(Math.trunc(30 * 0.033333)).toBe(0); // upstream's count
    expect(samplesPerStep(30, 0.033333)).toBe(1);
    expect(samplesPerStep(16000, 0.04)).toBe(640);
    expect(samplesPerStep(16000, 0.033333)).toBe(533); // not near an integer: truncated as upstream
    expect(samplesPerStep(25, 0.04)).toBe(1);
  });

  it('clamps a face box x to the width and y to the height (upstream clamps x to the height)', () => {
    // A 64×32 frame, a box reaching past the right edge: upstream's min(x2, height=32) would end it at x=32 < x1.
    expect(clampBox({ x: 40, y: 4, width: 30, height: 40 }, 64, 32)).toEqual({ x: 40, y: 4, width: 24, height: 28 });
    expect(clampBox({ x: -5, y: -5, width: 10, height: 10 }, 64, 32)).toEqual({ x: 0, y: 0, width: 5, height: 5 });
  });
});

describe('HDF5 files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2y-h5-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads upstream's own file (h5py, make_upstream_hdf5.py) by its dataset shapes", async () => {
    const r = await readEnd2YouHdf5(golden('upstream_av.hdf5'));
    expect(r.audio!.shape).toEqual([3, 8]);
    expect(r.visual!.shape).toEqual([3, 1, 3, 4, 4]);
    expect(r.labels.shape).toEqual([3, 2]);
    expect(r.labelNames).toEqual(['arousal', 'valence']);
    expect(r.dataFile).toBe('clip.mp4');
    // audio[s, t] = s + t/100; visual[s, 0, c, y, x] = s + c/10 + y/100 + x/1000; labels[s, l] = s/10 + l.
    expect(r.audio!.data[1 * 8 + 3]).toBeCloseTo(1.03, 6);
    expect(r.visual!.data[((2 * 3 + 1) * 4 + 2) * 4 + 3]).toBeCloseTo(2 + 0.1 + 0.02 + 0.003, 6);
    expectClose(r.labels.data, [0, 1, 0.1, 1.1, 0.2, 1.2], { atol: 1e-6 });
  });

  it('round-trips a record and rejects files of another layout, naming the file', async () => {
    const path = join(dir, 'r.hdf5');
    const rec = {
      physio: { data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [2, 3, 2] },
      labels: { data: new Float32Array([0.5, -0.5]), shape: [2, 1] },
      labelNames: ['arousal'],
      dataFile: 'p.csv',
      labelFile: 'l.csv',
    };
    await writeEnd2YouHdf5(path, rec);
    expect(await readEnd2YouHdf5(path)).toEqual(rec);
    await h5wasm.ready;
    const other = join(dir, 'other.hdf5');
    const f = new h5wasm.File(other, 'w');
    f.create_dataset({ name: 'features', data: new Float32Array(4), shape: [2, 2] });
    f.close();
    await expect(readEnd2YouHdf5(other)).rejects.toThrow(`${other}: no 'labels' dataset (has features); not an End2You file`);
    const wrongRank = join(dir, 'rank.hdf5');
    const g = new h5wasm.File(wrongRank, 'w');
    g.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
    g.create_dataset({ name: 'audio', data: new Float32Array(8), shape: [2, 2, 2] });
    g.close();
    await expect(readEnd2YouHdf5(wrongRank)).rejects.toThrow(`${wrongRank}: dataset 'audio' has shape [2,2,2], expected rank 2`);
    const text = join(dir, 'text.hdf5');
    await writeFile(text, 'not hdf5');
    await expect(readEnd2YouHdf5(text)).rejects.toThrow(text);
    await expect(writeEnd2YouHdf5(join(dir, 'bad.hdf5'), { ...rec, labelNames: ['a', 'b'] })).rejects.toThrow(/2 label names for 1 label columns/);
    expect((await readdir(dir)).filter((n) => n.includes('bad') || n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('generate: raw files → HDF5', () => {
  let dir: string;
  const steps = 6;
  const dt = 0.04;
  const tone = (rate: number, n: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2y-gen-'));
    const times = Array.from({ length: steps }, (_, s) => s * dt);
    const values = Float32Array.from({ length: steps * 2 }, (_, i) => (i % 2 ? -1 : 1) * (i >> 1) / 10);
    await writeLabelFile(join(dir, 'speech.csv'), { names: ['arousal', 'valence'], times, step: dt, values });
    await writeLabelFile(join(dir, 'clip.csv'), { names: ['arousal', 'valence'], times, step: dt, values });
    // Audio at 8 kHz: generate resamples it to 16 kHz.
    await writeWav(join(dir, 'speech.wav'), { sampleRate: 8000, channels: [tone(8000, 8000 * steps * dt)] }, 'float32');
    // A 25 fps video whose frame k is grey level 10·k, with a 440 Hz soundtrack muxed in by ffmpeg.
    const frames = Array.from({ length: 25 * steps * dt + 2 }, (_, k) => ({ data: new Uint8Array(32 * 24 * 3).fill(10 * k), width: 32, height: 24, channels: 3 as const }));
    await writeVideo(join(dir, 'silent.mp4'), frames, { fps: 25, crf: 0 });
    await writeWav(join(dir, 'track.wav'), { sampleRate: 16000, channels: [tone(16000, 16000)] });
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(dir, 'silent.mp4'), '-i', join(dir, 'track.wav'), '-c:v', 'copy', '-c:a', 'aac', '-shortest', join(dir, 'clip.mp4')]);
    await writeSignalCsv(join(dir, 'physio.csv'), { rate: 100, start: 0, names: ['eda', 'ecg'], samples: Float32Array.from({ length: 100 * 2 }, (_, i) => i) });
    await writeFile(join(dir, 'list.csv'), 'raw_file,label_file\nspeech.wav,speech.csv\nclip.mp4,physio.csv,clip.csv\n');
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the layout: audio (resampled to 16 kHz), visual [S, F, 3, H, W], physio, labels', async () => {
    const out = join(dir, 'out');
    const files = await generate(join(dir, 'list.csv'), out, { size: 8 });
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['speech.hdf5', 'clip.hdf5']);
    const speech = await readEnd2YouHdf5(files[0]!);
    expect(speech.audio!.shape).toEqual([steps, 640]);
    // Step 2 starts at sample 1280 of the 16 kHz tone: band-limited resampling keeps 440 Hz within 1e-2.
    expectClose(speech.audio!.data.subarray(2 * 640 + 100, 2 * 640 + 200), tone(16000, 1480).subarray(1380, 1480), { atol: 1e-2 });
    expect(speech.labelNames).toEqual(['arousal', 'valence']);
    expectClose(speech.labels.data, [0, -0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.4, -0.4, 0.5, -0.5], { atol: 1e-6 });
    const clip = await readEnd2YouHdf5(files[1]!);
    expect(clip.visual!.shape).toEqual([steps, 1, 3, 8, 8]);
    // One frame per 40 ms step at 25 fps: step s holds frame s, grey 10·s (x264 lossless, rounding ±2).
    for (let s = 0; s < steps; s++) expect(Math.abs(clip.visual!.data[s * 3 * 64]! - 10 * s)).toBeLessThanOrEqual(2);
    expect(clip.audio!.shape).toEqual([steps, 640]);
    expect(clip.physio!.shape).toEqual([steps, 4, 2]);
    // physio sample i has channels (2i, 2i+1); step s starts at sample 4s.
    expect(Array.from(clip.physio!.data.subarray(3 * 8, 3 * 8 + 2))).toEqual([24, 25]);
    if (hasH5py) {
      const report = JSON.parse(execFileSync('/usr/bin/python3', [golden('check_hdf5.py'), ...files], { encoding: 'utf8' }));
      expect(report[files[1]!]).toMatchObject({ seq_num: steps, num_samples: [640, 1, 4], label_names: ['arousal', 'valence'] });
      expect(report[files[0]!].datasets).toEqual({ audio: [steps, 640], labels: [steps, 2] });
    }
  }, 60_000);

  it('a missing raw file is an error naming the list row and the file; earlier files stay whole, no temporaries', async () => {
    const out = join(dir, 'out-missing');
    await writeFile(join(dir, 'list2.csv'), 'raw_file,label_file\nspeech.wav,speech.csv\nnope.wav,clip.csv\n');
    await expect(generate(join(dir, 'list2.csv'), out)).rejects.toThrow(`generate: ${join(dir, 'list2.csv')}:3: file not found: ${join(dir, 'nope.wav')}`);
    expect(await readdir(out)).toEqual(['speech.hdf5']);
    await readEnd2YouHdf5(join(out, 'speech.hdf5'));
  });

  it('removes temporaries an interrupted run left and skips finished files', async () => {
    const out = join(dir, 'out-resume');
    await generate(join(dir, 'list.csv'), out, { size: 8, videoModalities: ['visual'] });
    await writeFile(join(out, '.clip.hdf5.12345.tmp'), 'half-written');
    await rm(join(out, 'clip.hdf5'));
    const seen: boolean[] = [];
    await generate(join(dir, 'list.csv'), out, { size: 8, videoModalities: ['visual'], onFile: (i) => seen.push(i.skipped) });
    expect(seen).toEqual([true, false]);
    expect((await readdir(out)).sort()).toEqual(['clip.hdf5', 'speech.hdf5']);
  });
});
