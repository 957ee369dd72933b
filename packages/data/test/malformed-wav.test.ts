/**
 * Malformed-input corpus of the WAV decoder: truncations at every header field and inside the data, wrong
 * magics, each `fmt ` field corrupted, bad float samples. Every error names the file.
 */
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { expect } from 'vitest';
import { decodeWav, encodeWav, readWav, type WavAudio } from '../src/index.js';

const audio: WavAudio = { sampleRate: 8000, channels: [Float32Array.from([0, 0.5, -0.5, 0.25]), Float32Array.from([0.1, 0.2, 0.3, 0.4])] };
const pcm = encodeWav(audio, 'pcm16'); // 44-byte header + 4 frames × 4 bytes
const float = encodeWav(audio, 'float32');

/** A copy of `bytes` with `edit` applied to its DataView. */
function patched(bytes: Uint8Array, edit: (v: DataView, b: Uint8Array) => void): Uint8Array {
  const out = bytes.slice();
  edit(new DataView(out.buffer), out);
  return out;
}

const decode = (bytes: Uint8Array) => () => decodeWav(bytes, 'x.wav');

// Offsets: inside 'RIFF', the size, 'WAVE', the fmt header, each fmt field, the data header, and inside the samples.
const cuts = [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 21, 22, 24, 27, 28, 31, 32, 34, 35, 36, 39, 40, 43, 44, 45, 46, 50, 57, 58, 59];
const truncations: MalformedCase[] = cuts.map((cut) => ({
  name: `pcm16 truncated at byte ${cut}`,
  run: decode(pcm.slice(0, cut)),
  error: 'readWav: x.wav: ',
}));
const floatTruncations: MalformedCase[] = [45, 48, 52, 60, 70, 75].map((cut) => ({
  name: `float32 truncated at byte ${cut}`,
  run: decode(float.slice(0, cut)),
  error: /readWav: x\.wav: 'data' chunk at byte 36 declares 32 bytes but the file ends \d+ bytes after its header \(truncated\)/,
}));

const tag = (at: number, text: string) => (_: DataView, b: Uint8Array) => b.set([...text].map((c) => c.charCodeAt(0)), at);
const header: MalformedCase[] = [
  { name: "'RIFX' (big-endian) magic", run: decode(patched(pcm, tag(0, 'RIFX'))), error: 'x.wav: not a RIFF/WAVE file' },
  { name: "'AVI ' form type", run: decode(patched(pcm, tag(8, 'AVI '))), error: 'x.wav: not a RIFF/WAVE file' },
  { name: 'PNG bytes', run: decode(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82])), error: 'not a RIFF/WAVE' },
  { name: "no 'fmt ' chunk (renamed)", run: decode(patched(pcm, tag(12, 'fmx '))), error: "x.wav: no 'fmt ' chunk" },
  { name: "no 'data' chunk (renamed)", run: decode(patched(pcm, tag(36, 'date'))), error: "x.wav: no 'data' chunk" },
  { name: 'fmt chunk size 14', run: decode(patched(pcm, (v) => v.setUint32(16, 14, true))), error: 'fmt chunk of 14 bytes is too short' },
  { name: 'fmt chunk size past the end', run: decode(patched(pcm, (v) => v.setUint32(16, 1000, true))), error: "'fmt ' chunk at byte 12 declares 1000 bytes" },
  { name: 'fmt chunk size 0xffffffff', run: decode(patched(pcm, (v) => v.setUint32(16, 0xffffffff, true))), error: "'fmt ' chunk at byte 12 declares 4294967295 bytes" },
  { name: 'file ending inside fmt', run: decode(pcm.slice(0, 30)), error: "'fmt ' chunk at byte 12 declares 16 bytes but the file ends 10 bytes" },
  { name: 'format code 2 (ADPCM)', run: decode(patched(pcm, (v) => v.setUint16(20, 2, true))), error: 'unsupported encoding: format 2, 16 bits' },
  { name: 'format code 0', run: decode(patched(pcm, (v) => v.setUint16(20, 0, true))), error: 'unsupported encoding: format 0' },
  { name: 'extensible fmt shorter than 40', run: decode(patched(pcm, (v) => v.setUint16(20, 0xfffe, true))), error: 'WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes' },
  { name: '0 channels', run: decode(patched(pcm, (v) => v.setUint16(22, 0, true))), error: 'x.wav: 0 channels' },
  { name: '3 channels (block align for 2)', run: decode(patched(pcm, (v) => v.setUint16(22, 3, true))), error: 'block align 4 ≠ 3 channels × 2 bytes' },
  { name: 'sample rate 0', run: decode(patched(pcm, (v) => v.setUint32(24, 0, true))), error: 'x.wav: sample rate 0' },
  { name: 'block align 0', run: decode(patched(pcm, (v) => v.setUint16(32, 0, true))), error: 'block align 0 ≠ 2 channels × 2 bytes' },
  { name: 'block align 3', run: decode(patched(pcm, (v) => v.setUint16(32, 3, true))), error: 'block align 3' },
  { name: '12 bits per sample', run: decode(patched(pcm, (v) => v.setUint16(34, 12, true))), error: 'unsupported encoding: format 1, 12 bits' },
  { name: '0 bits per sample', run: decode(patched(pcm, (v) => v.setUint16(34, 0, true))), error: 'unsupported encoding: format 1, 0 bits' },
  { name: 'float with 16 bits', run: decode(patched(pcm, (v) => v.setUint16(20, 3, true))), error: 'unsupported encoding: format 3, 16 bits' },
  { name: 'data size larger than the file', run: decode(patched(pcm, (v) => v.setUint32(40, 17, true))), error: "'data' chunk at byte 36 declares 17 bytes" },
  { name: 'data size not a whole frame', run: decode(patched(pcm, (v) => v.setUint32(40, 14, true))), error: 'data chunk of 14 bytes ends inside a 4-byte frame' },
  {
    name: 'data size 0xffffffff (streamed): the rest of the file',
    run: decode(patched(pcm, (v) => v.setUint32(40, 0xffffffff, true))),
    ok: (a) => expect((a as WavAudio).channels[0]).toHaveLength(4),
  },
  {
    name: 'data size 0 (streamed): the rest of the file',
    run: decode(patched(pcm, (v) => v.setUint32(40, 0, true))),
    ok: (a) => expect((a as WavAudio).channels[1]).toHaveLength(4),
  },
  {
    name: 'an odd-sized unknown chunk with its pad byte is skipped',
    run: () => {
      const extra = Uint8Array.from([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
      return decodeWav(Uint8Array.from([...pcm.subarray(0, 36), ...extra, ...pcm.subarray(36)]), 'x.wav');
    },
    ok: (a) => expect(Array.from((a as WavAudio).channels[0]!)).toEqual([0, 0.5, -0.5, 0.25]),
  },
  {
    name: 'an unknown chunk running past the end',
    run: decode(Uint8Array.from([...pcm, ...[...'junk'].map((c) => c.charCodeAt(0)), 100, 0, 0, 0, 1])),
    error: "'junk' chunk at byte 60 declares 100 bytes",
  },
  { name: 'missing file', run: () => readWav('/nonexistent/x.wav'), error: 'readWav: cannot read /nonexistent/x.wav' },
];

// Float samples must be finite and in [-1, 1]: sample 2 of channel 1 replaced (byte 44 + 2 frames × 8 + 4).
const badFloats = [NaN, Infinity, -Infinity, 1.5, -2, 1e30, 1.0000001];
const floats: MalformedCase[] = [
  ...badFloats.map((x) => ({
    name: `float32 sample ${x}`,
    run: decode(patched(float, (v) => v.setFloat32(64, x, true))),
    error: `float sample 2 of channel 1 is ${Math.fround(x)}: expected a finite value in [-1, 1] (option maxAbs)`,
  })),
  { name: 'float32 sample 1.5 with maxAbs 2', run: () => decodeWav(patched(float, (v) => v.setFloat32(64, 1.5, true)), 'x.wav', { maxAbs: 2 }), ok: (a) => expect((a as WavAudio).channels[1]![2]).toBe(1.5) },
  { name: 'float32 NaN with maxAbs Infinity', run: () => decodeWav(patched(float, (v) => v.setFloat32(64, NaN, true)), 'x.wav', { maxAbs: Infinity }), error: 'float sample 2 of channel 1 is NaN' },
  ...[0, -1, NaN].map((maxAbs) => ({ name: `maxAbs ${maxAbs}`, run: () => decodeWav(float, 'x.wav', { maxAbs }), error: `readWav: maxAbs must be a positive number, got ${maxAbs}` })),
  ...[NaN, Infinity].map((x) => ({ name: `writeWav of a ${x} sample`, run: () => encodeWav({ sampleRate: 8000, channels: [Float32Array.from([0, x])] }, 'float32'), error: `writeWav: sample 1 of channel 0 is ${x}` })),
  { name: 'float32 samples ±1 read', run: decode(encodeWav({ sampleRate: 1, channels: [Float32Array.from([1, -1])] }, 'float32')), ok: (a) => expect(Array.from((a as WavAudio).channels[0]!)).toEqual([1, -1]) },
];

describeMalformed('data wav truncated', [...truncations, ...floatTruncations]);
describeMalformed('data wav header', header);
describeMalformed('data wav float samples', floats);
