/**
 * WAV (RIFF/WAVE) audio: PCM 8/16/24/32-bit integer and 32/64-bit IEEE float, any channel count, plain or
 * WAVE_FORMAT_EXTENSIBLE headers, unknown chunks skipped with their odd-size pad byte. Samples come back as
 * one Float32Array per channel in [-1, 1) (integers divided by 2^(bits−1); 8-bit is unsigned, centred at 128).
 * Damage is an error naming the file: a chunk running past the end of the file, a data chunk ending inside a
 * frame, sample rate 0, float samples that are NaN, infinite or beyond ±1 (the `maxAbs` option).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, messageOf } from '@facelab/runtime';

/** Decoded audio: sample rate and one Float32Array per channel. */
export interface WavAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Sample encodings {@link writeWav} can produce. */
export type WavSampleFormat = 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Options of {@link decodeWav} and {@link readWav}. */
export interface DecodeWavOptions {
  /**
   * Float samples of larger magnitude are an error (default 1: the [-1, 1] full scale; `Infinity` accepts any
   * finite value, for float files mixed with headroom). NaN and infinite samples are always an error.
   */
  maxAbs?: number;
}

/** Decodes WAV bytes; `name` identifies the file in errors. */
export function decodeWav(bytes: Uint8Array, name = '<wav bytes>', options: DecodeWavOptions = {}): WavAudio {
  const maxAbs = options.maxAbs ?? 1;
  if (!(maxAbs > 0)) throw new Error(`readWav: maxAbs must be a positive number, got ${maxAbs}`);
  const fail = (msg: string): Error => new Error(`readWav: ${name}: ${msg}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw fail('not a RIFF/WAVE file');
  let fmt: { code: number; channels: number; rate: number; bits: number; align: number } | undefined;
  let data: Uint8Array | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    // Streamed writers (ffmpeg to a pipe) leave the data size as 0 or 0xFFFFFFFF: take the rest of the file.
    if (id === 'data' && (size === 0 || size === 0xffffffff)) size = bytes.length - body;
    if (body + size > bytes.length) {
      throw fail(`'${id}' chunk at byte ${at} declares ${size} bytes but the file ends ${bytes.length - body} bytes after its header (truncated)`);
    }
    if (id === 'fmt ') {
      if (size < 16) throw fail(`fmt chunk of ${size} bytes is too short`);
      let code = view.getUint16(body, true);
      if (code === FORMAT_EXTENSIBLE) {
        if (size < 40) throw fail('WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes');
        code = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = {
        code,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      data = bytes.subarray(body, body + size);
    }
    at = body + size + (size & 1); // chunks are word-aligned: odd sizes carry a pad byte
  }
  if (fmt === undefined) throw fail("no 'fmt ' chunk");
  if (data === undefined) throw fail("no 'data' chunk");
  const { code, channels: nch, rate, bits, align } = fmt;
  if (nch < 1) throw fail('0 channels');
  if (rate < 1) throw fail('sample rate 0');
  const bytesPer = bits / 8;
  const supported =
    (code === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) || (code === FORMAT_FLOAT && (bits === 32 || bits === 64));
  if (!supported) throw fail(`unsupported encoding: format ${code}, ${bits} bits (PCM 8/16/24/32 or float 32/64)`);
  if (align !== nch * bytesPer) throw fail(`block align ${align} ≠ ${nch} channels × ${bytesPer} bytes`);
  if (data.length % align !== 0) throw fail(`data chunk of ${data.length} bytes ends inside a ${align}-byte frame (truncated)`);
  const frames = data.length / align;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(dv, code, bits);
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++) {
      const x = read(f * align + c * bytesPer);
      // Integer samples are in range by construction; float ones must be finite and within ±maxAbs.
      if (!(Number.isFinite(x) && Math.abs(x) <= maxAbs)) {
        throw fail(`float sample ${f} of channel ${c} is ${x}: expected a finite value in [-${maxAbs}, ${maxAbs}] (option maxAbs)`);
      }
      channels[c]![f] = x;
    }
  }
  return { sampleRate: rate, channels };
}

function sampleReader(dv: DataView, code: number, bits: number): (at: number) => number {
  if (code === FORMAT_FLOAT) return bits === 32 ? (at) => dv.getFloat32(at, true) : (at) => dv.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (dv.getUint8(at) - 128) / 128;
    case 16:
      return (at) => dv.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((dv.getUint8(at) | (dv.getUint8(at + 1) << 8) | (dv.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => dv.getInt32(at, true) / 2147483648;
  }
}

/** Reads a WAV file (or its bytes). */
export async function readWav(source: string | Uint8Array, options: DecodeWavOptions = {}): Promise<WavAudio> {
  if (typeof source !== 'string') return decodeWav(source, undefined, options);
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (err) {
    throw new Error(`readWav: cannot read ${source}: ${messageOf(err)}`, { cause: err });
  }
  return decodeWav(bytes, source, options);
}

/** Encodes audio as WAV bytes (plain PCM or IEEE-float header). Integer formats round and clip to range. */
export function encodeWav(audio: WavAudio, format: WavSampleFormat = 'pcm16'): Uint8Array {
  const { sampleRate, channels } = audio;
  if (channels.length < 1) throw new Error('writeWav: no channels');
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new Error(`writeWav: bad sample rate ${sampleRate}`);
  const frames = channels[0]!.length;
  channels.forEach((ch, i) => {
    if (ch.length !== frames) throw new Error(`writeWav: channel ${i} has ${ch.length} samples, channel 0 has ${frames}`);
  });
  const bits = format === 'pcm16' ? 16 : format === 'pcm24' ? 24 : 32;
  const bytesPer = bits / 8;
  const align = channels.length * bytesPer;
  const dataSize = frames * align;
  const out = new Uint8Array(44 + dataSize + (dataSize & 1));
  const dv = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => s.split('').forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  dv.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, format === 'float32' ? FORMAT_FLOAT : FORMAT_PCM, true);
  dv.setUint16(22, channels.length, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * align, true);
  dv.setUint16(32, align, true);
  dv.setUint16(34, bits, true);
  ascii(36, 'data');
  dv.setUint32(40, dataSize, true);
  const scale = 2 ** (bits - 1);
  const int = (x: number): number => Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels.length; c++) {
      const at = 44 + f * align + c * bytesPer;
      const x = channels[c]![f]!;
      if (!Number.isFinite(x)) throw new Error(`writeWav: sample ${f} of channel ${c} is ${x}`);
      if (format === 'float32') dv.setFloat32(at, x, true);
      else if (bits === 16) dv.setInt16(at, int(x), true);
      else if (bits === 32) dv.setInt32(at, int(x), true);
      else {
        const v = int(x);
        out[at] = v & 255;
        out[at + 1] = (v >> 8) & 255;
        out[at + 2] = (v >> 16) & 255;
      }
    }
  }
  return out;
}

/** Writes audio to a WAV file atomically (default 16-bit PCM). */
export async function writeWav(path: string, audio: WavAudio, format: WavSampleFormat = 'pcm16'): Promise<void> {
  await writeFileAtomic(path, encodeWav(audio, format));
}
