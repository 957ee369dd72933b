/**
 * Malformed-input corpus of RecordIO training data and LFW verification: corrupt records and indexes, a header
 * range selecting no image, labels that would make a huge margin head, undecodable images named by record, and
 * pairs files pointing outside the image folder (library and `facelab-arcface verify`).
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { describeMalformed, runCli, type CliRun, type MalformedCase } from '@facelab/test-utils';
import { encodeImage } from '@facelab/data';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { MAX_CLASSES, iresnet, recordFaceSource, RecordIOReader, tensorFaceSource, trainArcFace, verifyLfw, type FaceSource } from '../src/index.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
let dir = '';
let png: Uint8Array = new Uint8Array();
let modelDir = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-rec-'));
  png = await encodeImage({ data: new Uint8Array(16 * 16 * 3).fill(0x77), width: 16, height: 16, channels: 3 }, 'png');
  for (const name of ['A', 'B']) {
    await mkdir(join(dir, 'lfw', name), { recursive: true });
    for (const i of [1, 2]) await writeFile(join(dir, 'lfw', name, `${name}_000${i}.jpg`), png);
  }
  await mkdir(join(dir, 'outside'), { recursive: true });
  await writeFile(join(dir, 'outside', 'x_0001.jpg'), png);
  modelDir = join(dir, 'model');
  const net = small();
  await net.save(fileSystemIO(modelDir));
  net.dispose();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const small = () => iresnet({ units: [1, 1, 1, 1], widths: [4, 4, 4, 4, 4], inputSize: 16, embeddingSize: 4 });

/** One record: magic, lrecord (cflag, length), payload, padding to 4 bytes. */
function record(payload: Uint8Array, cflag = 0): Uint8Array {
  const out = new Uint8Array(8 + payload.length + ((4 - (payload.length % 4)) % 4));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xced7230a, true);
  v.setUint32(4, (cflag << 29) | payload.length, true);
  out.set(payload, 8);
  return out;
}
/** An IRHeader (flag, label, id, id2, extra labels) followed by `image`. */
function payload(label: number | number[], image: Uint8Array = new Uint8Array()): Uint8Array {
  const labels = Array.isArray(label) ? label : [];
  const out = new Uint8Array(24 + 4 * labels.length + image.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, labels.length, true);
  v.setFloat32(4, Array.isArray(label) ? 0 : label, true);
  labels.forEach((l, i) => v.setFloat32(24 + 4 * i, l, true));
  out.set(image, 24 + 4 * labels.length);
  return out;
}
let n = 0;
/** Writes records (keys 0, 1, …) and their index; returns [rec, idx] paths. */
async function recFiles(payloads: Uint8Array[], idx?: string): Promise<[string, string]> {
  const rec = join(dir, `t${n++}.rec`);
  const parts = payloads.map((p) => record(p));
  let offset = 0;
  const lines = parts.map((p, k) => {
    const line = `${k}\t${offset}`;
    offset += p.length;
    return line;
  });
  await writeFile(rec, Buffer.concat(parts));
  await writeFile(`${rec}.idx`, idx ?? `${lines.join('\n')}\n`);
  return [rec, `${rec}.idx`];
}
const source = async (payloads: Uint8Array[], idx?: string, options = {}): Promise<FaceSource> => {
  const [rec, i] = await recFiles(payloads, idx);
  const s = recordFaceSource(rec, i, options);
  s.close?.();
  return s;
};
/** Reads image 0 of a source built from `payloads` (header record first). */
async function firstImage(payloads: Uint8Array[]): Promise<number[]> {
  const [rec, i] = await recFiles(payloads);
  const s = recordFaceSource(rec, i);
  try {
    const t = await s.image(0, 16);
    const shape = t.shape;
    t.dispose();
    return shape;
  } finally {
    s.close?.();
  }
}

/** trainArcFace for one step on a source claiming `numClasses` identities (the backbone disposed after). */
async function trainOn(numClasses: number): Promise<unknown> {
  const backbone = small();
  try {
    return await trainArcFace({ backbone, data: { length: 1, numClasses, labelOf: () => 0, image: async () => tf.zeros([16, 16, 3]) }, steps: 1 });
  } finally {
    backbone.dispose();
  }
}

const sources: MalformedCase[] = [
  { name: 'header range [5, 9) selecting no key', run: () => source([payload([5, 9]), payload(0, png), payload(1, png)]), error: /t\d+\.rec: record 0's header range \[5, 9\) selects none of the 3 indexed keys/ },
  { name: 'header range [1, 1)', run: () => source([payload([1, 1]), payload(0, png)]), error: "header range [1, 1) selects none" },
  { name: 'header range [2, 1)', run: () => source([payload([2, 1]), payload(0, png)]), error: "header range [2, 1) selects none" },
  { name: 'empty index', run: () => source([payload(0, png)], ''), error: '.idx: the index lists no records' },
  ...[1e9, 2 ** 22, 1e30].map((label) => ({
    name: `label ${label}`,
    run: () => source([payload([1, 3]), payload(0, png), payload(label, png)]),
    error: new RegExp(`record 2's label is ${Math.fround(label)}: more than maxClasses 4194304 identities`.replaceAll('+', '\\+')),
  })),
  ...[-1, 0.5, NaN].map((label) => ({ name: `label ${label}`, run: () => source([payload(label, png)]), error: `record 0's label is ${label}, expected a non-negative integer` })),
  { name: 'label 1e9 with maxClasses 2e9', run: () => source([payload(1e9, png)], undefined, { maxClasses: 2e9 }), ok: (s) => expect((s as FaceSource).numClasses).toBe(1e9 + 1) },
  { name: 'tensorFaceSource label 1e9', run: () => {
      const images = tf.zeros<tf.Rank.R4>([1, 2, 2, 3]);
      try {
        return tensorFaceSource(images, [1e9]);
      } finally {
        images.dispose();
      }
    }, error: 'tensorFaceSource: label 0 is 1000000000: more than maxClasses' },
  { name: 'trainArcFace on a source of 1e9 classes', run: () => trainOn(1e9), error: `trainArcFace: data.numClasses is 1000000000, more than maxClasses ${MAX_CLASSES}` },
  { name: 'trainArcFace numClasses 0', run: () => trainOn(0), error: 'trainArcFace: data.numClasses must be a positive integer, got 0' },
  { name: 'trainArcFace numClasses 2.5', run: () => trainOn(2.5), error: 'trainArcFace: data.numClasses must be a positive integer, got 2.5' },
  { name: 'undecodable image in record 1', run: () => firstImage([payload([1, 2]), payload(0, Uint8Array.from([1, 2, 3]))]), error: /t\d+\.rec record 1: readImage: cannot decode/ },
  { name: 'record 1 holds an SVG', run: () => firstImage([payload([1, 2]), payload(0, Uint8Array.from(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')))]), error: /record 1: readImage: .* is svg, not a raster image/ },
  { name: 'record 1 a valid PNG', run: () => firstImage([payload([1, 2]), payload(0, png)]), ok: (s) => expect(s).toEqual([16, 16, 3]) },
];

const tiny = new Uint8Array(readFileSync(golden('tiny.rec')));
/** Reads every record of a corrupted copy of tiny.rec sequentially. */
async function readAll(bytes: Uint8Array): Promise<number> {
  const path = join(dir, `c${n++}.rec`);
  await writeFile(path, bytes);
  const reader = new RecordIOReader(path);
  try {
    return [...reader.records()].length;
  } finally {
    reader.close();
  }
}
const patch = (at: number, values: number[]) => Uint8Array.from(tiny, (b, i) => (i >= at && i < at + values.length ? values[i - at]! : b));
const records: MalformedCase[] = [
  ...[1, 4, 7, 8, 20, 60, 100, tiny.length - 4].map((cut) => ({ name: `tiny.rec cut at byte ${cut}`, run: () => readAll(tiny.subarray(0, cut)), error: /c\d+\.rec: corrupt record at byte offset \d+: / })),
  { name: 'tiny.rec cut at a record boundary (byte 40)', run: () => readAll(tiny.subarray(0, 40)), inherent: 'RecordIO stores no record count: a file cut between records reads as a shorter file (the .idx lists the missing keys)' },
  { name: 'tiny.rec missing its last padding byte', run: () => readAll(tiny.subarray(0, tiny.length - 1)), inherent: 'padding bytes carry nothing: every record is complete' },
  { name: 'wrong magic', run: () => readAll(patch(0, [0, 0, 0, 0])), error: 'corrupt record at byte offset 0: magic 0x0 instead of 0xced7230a' },
  { name: 'length of 2^29 − 1', run: () => readAll(patch(4, [0xff, 0xff, 0xff, 0x1f])), error: 'corrupt record at byte offset 0: needs bytes up to' },
  { name: 'continuation flag 2 first', run: () => readAll(patch(7, [0x40])), error: 'continuation flag 2 out of sequence' },
  { name: 'continuation flag 3 first', run: () => readAll(patch(7, [0x60])), error: 'continuation flag 3 out of sequence' },
  { name: 'IRHeader flag of 1e6 labels', run: () => readAll(patch(8, [0x40, 0x42, 0x0f, 0])), error: 'IRHeader flag 1000000 announces more labels than the payload holds' },
  { name: 'payload shorter than an IRHeader', run: async () => readAll(Buffer.concat([record(new Uint8Array(10))])), error: 'payload of 10 bytes is shorter than an IRHeader (24)' },
  { name: 'idx line without an offset', run: () => Promise.resolve().then(async () => { await writeFile(join(dir, 'bad.idx'), '0\t0\n1\n'); return new RecordIOReader(golden('tiny.rec'), join(dir, 'bad.idx')); }), error: "bad.idx:2: expected 'key<TAB>offset', got '1'" },
  { name: 'idx with a hex offset', run: () => Promise.resolve().then(async () => { await writeFile(join(dir, 'hex.idx'), '0\t0x10\n'); return new RecordIOReader(golden('tiny.rec'), join(dir, 'hex.idx')); }), error: "hex.idx:1: expected 'key<TAB>offset', got '0\t0x10'" },
  { name: 'idx offset into the middle of a record', run: async () => { await writeFile(join(dir, 'mid.idx'), '0\t4\n'); const r = new RecordIOReader(golden('tiny.rec'), join(dir, 'mid.idx')); try { return r.read(0); } finally { r.close(); } }, error: 'corrupt record at byte offset 4: magic' },
  { name: 'key not in the index', run: () => { const r = new RecordIOReader(golden('tiny.rec'), golden('tiny.idx')); try { return r.read(99); } finally { r.close(); } }, error: 'key 99 is not in the index' },
  { name: 'missing .rec', run: () => new RecordIOReader(join(dir, 'absent.rec')), error: 'absent.rec' },
];

/** Writes a pairs.txt of `lines` (one fold of one same and one different pair). */
async function pairsFile(lines: string[]): Promise<string> {
  const path = join(dir, 'lfw', `pairs${n++}.txt`);
  await writeFile(path, `1\n${lines.join('\n')}\n`);
  return path;
}
const lfw = async (lines: string[]) => {
  const net = small();
  try {
    return await verifyLfw(net, await pairsFile(lines), undefined, { folds: 2 });
  } finally {
    net.dispose();
  }
};
const cli = (...args: string[]) => runCli(buildProgram(), ['verify', '--backend', 'cpu', ...args]);
const fails = (what: string) => (r: unknown) => {
  const run = r as CliRun;
  expect(run.code, run.stderr).toBeGreaterThan(0);
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toContain(what);
};
const verification: MalformedCase[] = [
  { name: 'pairs identity ../outside/x', run: () => lfw(['A 1 2', 'A 1 ../outside/x 1']), error: "identity '../outside/x' is not a folder name" },
  { name: 'pairs identity ..', run: () => lfw(['.. 1 2', 'A 1 B 1']), error: "identity '..' is not a folder name" },
  { name: 'pairs identity /etc', run: () => lfw(['/etc 1 2', 'A 1 B 1']), error: "identity '/etc' is not a folder name" },
  { name: 'pairs image that does not exist', run: () => lfw(['A 1 2', 'A 1 B 7']), error: /B_0007\.jpg: readImage: cannot decode/ },
  { name: 'pairs different line with one identity', run: () => lfw(['A 1 2', 'A 1 A 2']), error: "a different-identity line names 'A' twice" },
  { name: 'pairs image number 0x1', run: () => lfw(['A 0x1 2', 'A 1 B 1']), error: "image number must be a positive integer, got '0x1'" },
  { name: 'verify --pairs with ../outside/x', run: async () => cli('--model', modelDir, '--pairs', await pairsFile(['A 1 2', 'A 1 ../outside/x 1'])), ok: fails("identity '../outside/x' is not a folder name") },
  { name: 'verify --pairs with an absolute identity', run: async () => cli('--model', modelDir, '--pairs', await pairsFile([`${join(dir, 'outside', 'x')} 1 2`, 'A 1 B 1'])), ok: fails('is not a folder name') },
  { name: 'verify --folds 1', run: async () => cli('--model', modelDir, '--pairs', await pairsFile(['A 1 2', 'A 1 B 2']), '--folds', '1'), ok: fails("option '--folds <n>' argument '1' is invalid") },
  { name: 'verify --folds 0x2', run: async () => cli('--model', modelDir, '--pairs', await pairsFile(['A 1 2', 'A 1 B 2']), '--folds', '0x2'), ok: fails("'0x2'") },
  { name: 'verify with --bin and --pairs', run: async () => cli('--model', modelDir, '--pairs', await pairsFile(['A 1 2', 'A 1 B 2']), '--bin', golden('pairs-p2.bin')), ok: fails('exactly one of --bin and --pairs') },
  { name: 'verify --protocol bogus', run: () => cli('--model', modelDir, '--bin', golden('pairs-p2.bin'), '--protocol', 'bogus'), ok: fails("argument 'bogus' is invalid") },
];

describeMalformed('arcface recordio sources', sources, { numTensors: () => tf.memory().numTensors });
describeMalformed('arcface recordio records', records);
describeMalformed('arcface lfw verification', verification, { numTensors: () => tf.memory().numTensors });
