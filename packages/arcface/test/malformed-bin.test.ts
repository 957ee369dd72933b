/**
 * Malformed-input corpus of the verification `.bin` pickle reader: pickles written by Python 3 itself in
 * protocols 2, 3 and 5 (test/golden/make_pickle_golden.py), a 100 k-item APPENDS, every foreign global and
 * REDUCE, truncations at many offsets, and undecodable images named by file and index.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { iresnet, parseVerificationBin, readVerificationBin, verifyBin, type VerificationBin } from '../src/index.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
/** The bytes make_pickle_golden.py pickles as image i. */
const image = (i: number) => Uint8Array.from({ length: 40 + 60 * i }, (_, k) => (i * 37 + k * 11) % 256);
const images = Array.from({ length: 6 }, (_, i) => image(i));

let dir = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-bin-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const u32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
const parse = (bytes: number[] | Uint8Array) => () => parseVerificationBin(Uint8Array.from(bytes), 'x.bin');
/** A protocol-2 pickle `(list, [True])` whose list is built by `items` (opcodes between MARK and APPENDS). */
const pairsWith = (items: number[]) => [0x80, 2, 0x5d, 0x28, ...items, 0x65, 0x5d, 0x88, 0x61, 0x86, 0x2e];
const global = (module: string, name: string) => [0x63, ...ascii(`${module}\n${name}\n`)];
const unicode = (s: string) => [0x58, ...u32(Buffer.byteLength(s)), ...Buffer.from(s)];
const encodeCall = (text: string, encoding: string) => [...global('_codecs', 'encode'), ...unicode(text), ...unicode(encoding), 0x86, 0x52];

const python: MalformedCase[] = [
  ...[2, 3, 5].map((p) => ({
    name: `Python 3 pickle.dumps(bytes, protocol=${p})`,
    run: () => readVerificationBin(golden(`pairs-py3-p${p}.bin`)),
    ok: (b: unknown) => expect(b).toEqual({ images, issame: [true, false, true] }),
  })),
  { name: 'Python 3 protocol 2 with str images', run: () => readVerificationBin(golden('py3-p2-str.bin')), error: 'py3-p2-str.bin: element 0 is not a list of byte strings' },
  { name: 'Python 3 protocol 2 with empty bytes (GLOBAL __builtin__ bytes)', run: () => readVerificationBin(golden('py3-p2-empty-bytes.bin')), error: "py3-p2-empty-bytes.bin: GLOBAL '__builtin__.bytes' is not allowed (only _codecs.encode) at byte offset 6" },
  {
    name: 'one APPENDS of 100 000 images and one of 50 000 bools',
    run: () => {
      const items = new Uint8Array(100_000 * 3);
      for (let i = 0; i < 100_000; i++) items.set([0x43, 1, i & 255], i * 3);
      const bools = new Array<number>(50_000).fill(0x89);
      return parseVerificationBin(Uint8Array.from([0x80, 2, 0x5d, 0x28, ...items, 0x65, 0x5d, 0x28, ...bools, 0x65, 0x86, 0x2e]), 'big.bin');
    },
    ok: (b) => {
      expect((b as VerificationBin).images).toHaveLength(100_000);
      expect((b as VerificationBin).issame).toHaveLength(50_000);
    },
  },
  { name: "_codecs.encode with 'latin-1' spelled with a dash", run: parse(pairsWith([...encodeCall('ab\u00ff', 'latin-1'), ...encodeCall('c', 'latin1')])), ok: (b) => expect((b as VerificationBin).images.map((x) => [...x])).toEqual([[97, 98, 255], [99]]) },
];

const evil: [string, number[], string][] = [
  ['GLOBAL os.system', pairsWith([...global('os', 'system'), ...unicode('id'), 0x85, 0x52]), "GLOBAL 'os.system' is not allowed"],
  ['GLOBAL builtins.eval', pairsWith([...global('builtins', 'eval'), ...unicode('1'), 0x85, 0x52]), "GLOBAL 'builtins.eval' is not allowed"],
  ['GLOBAL _codecs.decode', pairsWith([...global('_codecs', 'decode'), ...unicode('1'), 0x85, 0x52]), "GLOBAL '_codecs.decode' is not allowed"],
  ['GLOBAL codecs.encode (not _codecs)', pairsWith([...global('codecs', 'encode')]), "GLOBAL 'codecs.encode' is not allowed"],
  ['GLOBAL subprocess.Popen', pairsWith([...global('subprocess', 'Popen')]), "GLOBAL 'subprocess.Popen' is not allowed"],
  ['STACK_GLOBAL', pairsWith([...unicode('os'), ...unicode('system'), 0x93]), 'unsupported pickle opcode 0x93'],
  ['INST', pairsWith([0x69, ...ascii('os\nsystem\n')]), 'unsupported pickle opcode 0x69'],
  ['OBJ', pairsWith([0x6f]), 'unsupported pickle opcode 0x6f'],
  ['NEWOBJ', pairsWith([0x81]), 'unsupported pickle opcode 0x81'],
  ['BUILD', pairsWith([0x62]), 'unsupported pickle opcode 0x62'],
  ['REDUCE without a global', pairsWith([0x29, 0x29, 0x52]), 'REDUCE of something other than _codecs.encode'],
  ['REDUCE on an empty stack', [0x80, 2, 0x52], 'REDUCE of something other than _codecs.encode'],
  ["_codecs.encode to 'utf-8'", pairsWith(encodeCall('ab', 'utf-8')), "_codecs.encode with encoding 'utf-8' (only latin1)"],
  ['_codecs.encode of a character beyond latin-1', pairsWith(encodeCall('a\u0100', 'latin1')), '_codecs.encode of a character beyond latin-1 (U+0100)'],
  ['_codecs.encode with one argument', pairsWith([...global('_codecs', 'encode'), ...unicode('a'), 0x85, 0x52]), '_codecs.encode called with other arguments'],
  ['_codecs.encode of bytes', pairsWith([...global('_codecs', 'encode'), 0x43, 1, 65, ...unicode('latin1'), 0x86, 0x52]), '_codecs.encode called with other arguments'],
  ['GLOBAL without a newline', [0x80, 2, 0x63, ...ascii('os')], 'truncated pickle (GLOBAL without its newline)'],
  ['GLOBAL name of 300 bytes', [0x80, 2, 0x63, ...ascii('a'.repeat(300)), 10, 10], 'GLOBAL name longer than 256 bytes'],
  ['BINUNICODE that is not UTF-8', pairsWith([0x58, ...u32(2), 0xff, 0xfe]), 'BINUNICODE string that is not UTF-8'],
  ['a str where bytes belong', pairsWith(unicode('abc')), 'element 0 is not a list of byte strings'],
  ['BINGET of an unknown memo', pairsWith([0x68, 9]), 'BINGET of an unknown memo'],
  ['APPENDS without MARK', [0x80, 2, 0x5d, 0x65], 'no MARK on the stack'],
  ['APPEND to a bool', [0x80, 2, 0x88, 0x88, 0x61], 'APPEND to something that is not a list'],
  ['odd image count', pairsWith([0x43, 1, 1]), '1 images for 1 pairs'],
  ['not a 2-tuple', [0x80, 2, 0x5d, 0x2e], 'the pickle is not a 2-tuple'],
  ['BINBYTES of 4 GiB', [0x80, 3, 0x42, 0xff, 0xff, 0xff, 0xff], 'truncated pickle (needs 4294967295 more bytes)'],
  ['BINBYTES8 beyond 2^53', [0x80, 4, 0x8e, 0, 0, 0, 0, 0, 0, 0x40, 0], 'length too large'],
  ['empty file', [], 'truncated pickle'],
  ['a PNG', [0x89, 0x50, 0x4e, 0x47], "unsupported pickle opcode 0x50 ('P') at byte offset 1"],
];
const foreign: MalformedCase[] = evil.map(([name, bytes, error]) => ({ name, run: parse(bytes), error: `x.bin: ${error}` }));

// Truncations of the protocol-2 and protocol-5 golden files.
const truncated: MalformedCase[] = ([['p2', [1, 2, 7, 20, 23, 30, 47, 100, 500, 1000, 1500, 1855]], ['p5', [1, 5, 11, 12, 20, 100, 600, 1188]]] as const).flatMap(([p, cuts]) =>
  cuts.map((cut) => ({
    name: `protocol ${p.slice(1)} file cut at byte ${cut}`,
    run: () => parseVerificationBin(new Uint8Array(readFileSync(golden(`pairs-py3-${p}.bin`))).subarray(0, cut), 'cut.bin'),
    error: /^cut\.bin: .* at byte offset \d+; expected a pickle/,
  })),
);

const model = () => iresnet({ units: [1, 1, 1, 1], widths: [4, 4, 4, 4, 4], inputSize: 16, embeddingSize: 4 });
/** verifyBin on a .bin whose image 3 is `bad` (the others valid 16×16 PNGs). */
async function verifyWithBad(bad: Uint8Array, name: string): Promise<unknown> {
  const png = await encodeImage({ data: new Uint8Array(16 * 16 * 3).fill(0x88), width: 16, height: 16, channels: 3 }, 'png');
  const items = [png, png, png, bad].flatMap((b) => [0x42, ...u32(b.length), ...b]);
  const path = join(dir, name);
  await writeFile(path, Uint8Array.from([0x80, 3, 0x5d, 0x28, ...items, 0x65, 0x5d, 0x28, 0x88, 0x89, 0x65, 0x86, 0x2e]));
  const net = model();
  try {
    return await verifyBin(net, path, { folds: 2 });
  } finally {
    net.dispose();
  }
}
const images3: MalformedCase[] = [
  { name: 'undecodable image 3', run: () => verifyWithBad(Uint8Array.from([1, 2, 3]), 'bad3.bin'), error: /bad3\.bin image 3: readImage: cannot decode/ },
  { name: 'image 3 a truncated JPEG header', run: () => verifyWithBad(Uint8Array.from([0xff, 0xd8, 0xff]), 'jpeg3.bin'), error: /jpeg3\.bin image 3: / },
  { name: 'image 3 an SVG', run: () => verifyWithBad(Uint8Array.from(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"/>')), 'svg3.bin'), error: 'svg3.bin image 3: readImage: ' },
];

describeMalformed('arcface .bin python pickles', python);
describeMalformed('arcface .bin foreign opcodes and globals', foreign);
describeMalformed('arcface .bin truncated', truncated);
describeMalformed('arcface .bin undecodable images', images3, { numTensors: () => tf.memory().numTensors });
