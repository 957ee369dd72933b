/**
 * WAV (RIFF/WAVE) audio: PCM 8/16/24/32-bit integer and 32/64-bit IEEE float, any channel count, plain or
 * WAVE_FORMAT_EXTENSIBLE headers, unknown chunks skipped with their odd-size pad byte. Samples come back as
 * one Float32Array per channel in [-1, 1) (integers divided by 2^(bits−1); 8-bit is unsigned, centred at 128).
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

/** Decodes WAV bytes; `name` identifies the file in errors. */
export function decodeWav(bytes: Uint8Array, name = '<wav bytes>'): WavAudio {
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
    if (id === 'data' && (size === 0 || size === 0xffffffff || body + size > bytes.length)) size = bytes.length - body;
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
  const bytesPer = bits / 8;
  const supported =
    (code === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) || (code === FORMAT_FLOAT && (bits === 32 || bits === 64));
  if (!supported) throw fail(`unsupported encoding: format ${code}, ${bits} bits (PCM 8/16/24/32 or float 32/64)`);
  if (align !== nch * bytesPer) throw fail(`block align ${align} ≠ ${nch} channels × ${bytesPer} bytes`);
  const frames = Math.floor(data.length / align);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(dv, code, bits);
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++) channels[c]![f] = read(f * align + c * bytesPer);
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
export async function readWav(source: string | Uint8Array): Promise<WavAudio> {
  if (typeof source !== 'string') return decodeWav(source);
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (err) {
    throw new Error(`readWav: cannot read ${source}: ${messageOf(err)}`, { cause: err });
  }
  return decodeWav(bytes, source);
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
