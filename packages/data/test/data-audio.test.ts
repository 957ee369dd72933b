import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeWav,
  frameSignal,
  readWav,
  resample,
  samplesPerStep,
  writeWav,
} from '../src/index.js';
import { Rng } from '@facelab/runtime';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facelab-wav-'));
});

const FRAMES = 300;

/** Seeded full-range integer samples, interleaved, as little-endian raw bytes, with their expected floats. */
function intRaw(bits: 16 | 24 | 32, nch: number, seed: number): { raw: Buffer; expected: number[][] } {
  const rng = new Rng(seed);
  const scale = 2 ** (bits - 1);
  const bytes = bits / 8;
  const raw = Buffer.alloc(FRAMES * nch * bytes);
  const expected = Array.from({ length: nch }, () => new Array<number>(FRAMES));
  for (let f = 0; f < FRAMES; f++) {
    for (let c = 0; c < nch; c++) {
      // Include both extremes so sign handling and full scale are exercised.
      const v = f === 0 ? -scale : f === 1 ? scale - 1 : Math.floor(rng.uniform(-scale, scale));
      raw.writeIntLE(v, (f * nch + c) * bytes, bytes);
      expected[c]![f] = v / scale;
    }
  }
  return { raw, expected };
}

function floatRaw(bits: 32 | 64, nch: number, seed: number): { raw: Buffer; expected: number[][] } {
  const rng = new Rng(seed);
  const raw = Buffer.alloc(FRAMES * nch * (bits / 8));
  const expected = Array.from({ length: nch }, () => new Array<number>(FRAMES));
  for (let f = 0; f < FRAMES; f++) {
    for (let c = 0; c < nch; c++) {
      const v = Math.fround(rng.uniform(-1, 1));
      const at = (f * nch + c) * (bits / 8);
      if (bits === 32) raw.writeFloatLE(v, at);
      else raw.writeDoubleLE(v, at);
      expected[c]![f] = v;
    }
  }
  return { raw, expected };
}

function formatTag(wav: Buffer): number {
  return wav.readUInt16LE(20);
}

async function check(path: string, rate: number, expected: number[][], tol = 0): Promise<void> {
  const a = await readWav(path);
  expect(a.sampleRate).toBe(rate);
  expect(a.channels.length).toBe(expected.length);
  a.channels.forEach((ch, c) => {
    if (tol === 0) expect(Array.from(ch)).toEqual(expected[c]!.map((v) => Math.fround(v)));
    else ch.forEach((v, f) => expect(Math.abs(v - expected[c]![f]!)).toBeLessThanOrEqual(tol));
  });
}

describe('readWav on files written by sox', () => {
  it.each([
    [16, 1],
    [24, 2],
    [32, 1],
  ] as const)('%i-bit integer PCM, %i channel(s)', async (bits, nch) => {
    const { raw, expected } = intRaw(bits, nch, bits);
    const rawPath = join(dir, `s${bits}.raw`);
    await writeFile(rawPath, raw);
    const wav = join(dir, `sox${bits}_${nch}.wav`);
    execFileSync('sox', ['-t', 'raw', '-r', '22050', '-e', 'signed', '-b', String(bits), '-c', String(nch), rawPath, wav]);
    await check(wav, 22050, expected);
  });

  it.each([32, 64] as const)('%i-bit float, stereo', async (bits) => {
    const { raw, expected } = floatRaw(bits, 2, bits);
    const rawPath = join(dir, `f${bits}.raw`);
    await writeFile(rawPath, raw);
    const wav = join(dir, `soxf${bits}.wav`);
    execFileSync('sox', ['-t', 'raw', '-r', '16000', '-e', 'floating-point', '-b', String(bits), '-c', '2', rawPath, wav]);
    // sox passes float samples through its 32-bit integer pipeline: float32 comes back within 2^-24.
    await check(wav, 16000, expected, bits === 32 ? 2 ** -24 : 0);
  });
});

describe('readWav on files written by ffmpeg', () => {
  it('16-bit source re-encoded as s16, s24 (WAVE_FORMAT_EXTENSIBLE), s32, f32, u8, with a LIST chunk', async () => {
    const { raw, expected } = intRaw(16, 2, 5);
    const rawPath = join(dir, 'ff16.raw');
    await writeFile(rawPath, raw);
    const tags = new Set<number>();
    for (const codec of ['pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le']) {
      const wav = join(dir, `${codec}.wav`);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 's16le', '-ar', '16000', '-ac', '2', '-i', rawPath,
        '-metadata', 'title=odd', '-c:a', codec, wav]);
      tags.add(formatTag(await readFile(wav)));
      // Widening s16 to s24/s32/f32 is exact, so every file decodes to the original values.
      await check(wav, 16000, expected);
    }
    expect(tags.has(0xfffe)).toBe(true); // the extensible header path was exercised
    const u8 = join(dir, 'u8.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 's16le', '-ar', '16000', '-ac', '2', '-i', rawPath, '-c:a', 'pcm_u8', u8]);
    const a = await readWav(u8);
    // ffmpeg's s16 → u8 keeps the high byte: v/32768 becomes floor(v/256)/128.
    a.channels.forEach((ch, c) =>
      ch.forEach((v, f) => expect(v).toBe(Math.floor(expected[c]![f]! * 128) / 128)),
    );
  });

  it('a WAV streamed to a pipe (data size unknown) reads to the end', async () => {
    const { raw, expected } = intRaw(16, 1, 6);
    const rawPath = join(dir, 'pipe.raw');
    await writeFile(rawPath, raw);
    const bytes = execFileSync('ffmpeg', ['-v', 'error', '-f', 's16le', '-ar', '8000', '-ac', '1', '-i', rawPath, '-f', 'wav', '-']);
    const a = decodeWav(bytes);
    expect(Array.from(a.channels[0]!)).toEqual(expected[0]);
  });
});

describe('WAV structure and writing', () => {
  it('skips an odd-sized unknown chunk with its pad byte', async () => {
    const { raw, expected } = intRaw(16, 1, 7);
    const rawPath = join(dir, 'odd.raw');
    await writeFile(rawPath, raw);
    const wav = execFileSync('sox', ['-t', 'raw', '-r', '8000', '-e', 'signed', '-b', '16', '-c', '1', rawPath, '-t', 'wav', '-']);
    const dataAt = wav.indexOf('data');
    const junk = Buffer.from([...Buffer.from('abcd'), 3, 0, 0, 0, 1, 2, 3, 0]); // 3 bytes + pad
    const patched = Buffer.concat([wav.subarray(0, dataAt), junk, wav.subarray(dataAt)]);
    patched.writeUInt32LE(patched.length - 8, 4);
    expect(Array.from(decodeWav(patched).channels[0]!)).toEqual(expected[0]);
  });

  it('writeWav output is read by sox to the same integers (pcm16, pcm24) and float32 round-trips', async () => {
    const rng = new Rng(3);
    const ch = Float32Array.from({ length: 100 }, () => rng.uniform(-1.2, 1.2)); // some clip
    for (const [format, bits] of [['pcm16', 16], ['pcm24', 24]] as const) {
      const p = join(dir, `w${bits}.wav`);
      await writeWav(p, { sampleRate: 16000, channels: [ch] }, format);
      const ints = execFileSync('sox', [p, '-t', 'raw', '-e', 'signed', '-b', String(bits), '-']);
      const scale = 2 ** (bits - 1);
      for (let i = 0; i < ch.length; i++) {
        const want = Math.max(-scale, Math.min(scale - 1, Math.round(ch[i]! * scale)));
        expect(ints.readIntLE(i * (bits / 8), bits / 8)).toBe(want);
      }
    }
    const p = join(dir, 'wf.wav');
    await writeWav(p, { sampleRate: 44100, channels: [ch, ch.map((v) => -v)] }, 'float32');
    const back = await readWav(p, { maxAbs: Infinity }); // floats beyond ±1 (the clip above) need the option
    expect(back.channels[1]).toEqual(ch.map((v) => -v));
    await expect(readWav(p)).rejects.toThrow(`readWav: ${p}: float sample`);
    expect(execFileSync('soxi', ['-r', p]).toString().trim()).toBe('44100');
  });

  it('rejects files that are not WAV, unsupported encodings and missing files, naming them', async () => {
    const p = join(dir, 'not.wav');
    await writeFile(p, 'hello world, not a wav');
    await expect(readWav(p)).rejects.toThrow(`readWav: ${p}: not a RIFF/WAVE file`);
    await expect(readWav(join(dir, 'none.wav'))).rejects.toThrow(`cannot read ${join(dir, 'none.wav')}`);
    const alaw = join(dir, 'alaw.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-e', 'a-law', alaw, 'trim', '0', '0.01']);
    await expect(readWav(alaw)).rejects.toThrow('unsupported encoding: format 6');
  });
});

describe('resample', () => {
  const sine = (n: number, rate: number, freqs: number[]): Float32Array =>
    Float32Array.from({ length: n }, (_, i) => freqs.reduce((s, f) => s + 0.4 * Math.sin((2 * Math.PI * f * i) / rate), 0));

  it.each([
    [16000, 44100, [440, 3000]],
    [44100, 16000, [440, 3000]],
    [48000, 16000, [1000, 6500]],
    [8000, 16000, [250, 3200]], // 0.8 of the input Nyquist: the edge of the flat passband
  ])('%i → %i Hz reproduces an analytic sine sum', (from, to, freqs) => {
    const x = sine(from / 2, from, freqs); // 0.5 s
    const y = resample(x, from, to);
    expect(y.length).toBe(Math.ceil((x.length * to) / from));
    const ref = sine(y.length, to, freqs);
    let maxErr = 0;
    const edge = Math.ceil(0.01 * to); // the kernel reaches past the ends for the first/last ~16/fc samples
    for (let i = edge; i < y.length - edge; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(2e-3);
  });

  it('removes content above the new Nyquist frequency when downsampling (no aliasing)', () => {
    const x = sine(24000, 48000, [12000]); // would alias to 4 kHz at 16 kHz
    const y = resample(x, 48000, 16000);
    let sq = 0;
    for (let i = 200; i < y.length - 200; i++) sq += y[i]! ** 2;
    expect(Math.sqrt(sq / (y.length - 400))).toBeLessThan(1e-3); // input RMS is 0.28
  });

  it('frames into int(rate·Δt) samples per step: 640 at 16 kHz, 40 ms (End2You)', () => {
    expect(samplesPerStep(16000, 0.04)).toBe(640);
    expect(samplesPerStep(22050, 0.04)).toBe(882);
    const x = Float32Array.from({ length: 2000 }, (_, i) => i);
    const frames = frameSignal(x, 16000, 0.04);
    expect(frames.map((f) => [f.length, f[0]])).toEqual([[640, 0], [640, 640], [640, 1280]]);
    expect(() => frameSignal(x, 16000, 0.00001)).toThrow('less than one sample per step');
  });
});
