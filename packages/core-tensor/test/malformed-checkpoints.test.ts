/**
 * Malformed checkpoint files through loadCheckpoint: truncations at many offsets, bad magic, bit flips in the
 * header and the data, and headers that are valid JSON with a correct checksum but break the schema field by
 * field (in format version 2, and in version 1, whose header has no checksum of its own). Each is a one-line
 * error naming the file, with no tensor left behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { initBackend, loadCheckpoint, saveCheckpoint, tf } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'facelab-malformed-ckpt-'));
const valid = join(root, 'valid.flckpt');
const numTensors = () => tf.memory().numTensors;

beforeAll(async () => {
  await initBackend('cpu');
  const tensors = [
    { name: 'w', tensor: tf.tensor2d([[1, 2, 3], [4, 5, 6]]) },
    { name: 'i', tensor: tf.tensor1d([7, 8, 9, 10], 'int32') },
    { name: 'b', tensor: tf.tensor1d([1, 0], 'bool') },
  ];
  await saveCheckpoint(valid, { step: 3, note: 'valid' }, tensors);
  tf.dispose(tensors.map((t) => t.tensor));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The valid file's parts: its header object (version 2) and data section. */
function parts(): { header: Record<string, unknown>; data: Buffer } {
  const buf = readFileSync(valid);
  const len = buf.readUInt32LE(8);
  return { header: JSON.parse(buf.toString('utf8', 16, 16 + len)), data: buf.subarray(16 + len) };
}

/** Writes a checkpoint file with `header` (any JSON value) in format `version`, a correct header CRC in v2. */
function writeWith(name: string, header: unknown, version: 1 | 2 = 2, data = parts().data): string {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(version === 2 ? 16 : 12);
  prefix.write(`FLCKPT0${version}`, 0, 'latin1');
  prefix.writeUInt32LE(json.byteLength, 8);
  if (version === 2) prefix.writeUInt32LE(crc32(json), 12);
  const path = join(root, name.replace(/[^\w.-]+/g, '_'));
  writeFileSync(path, Buffer.concat([prefix, json, data]));
  return path;
}

/** Writes the valid file's bytes changed by `edit`. */
function writeEdited(name: string, edit: (buf: Buffer) => Buffer): string {
  const path = join(root, name.replace(/[^\w.-]+/g, '_'));
  writeFileSync(path, edit(Buffer.from(readFileSync(valid))));
  return path;
}

/** A case that loads `path()` and expects a one-line error naming the file and containing `why`. */
const fails = (name: string, path: () => string, why: string | RegExp): MalformedCase => ({
  name,
  run: async () => {
    const p = path();
    try {
      const loaded = await loadCheckpoint(p);
      tf.dispose([...loaded.tensors.values()]);
      return loaded;
    } catch (err) {
      expect((err as Error).message).toContain(`'${p}'`);
      throw err;
    }
  },
  error: why,
});

const headerEnd = () => 16 + readFileSync(valid).readUInt32LE(8);

// Truncations: inside the magic, the prefix, the header, and the data, down to one byte short.
const truncations: MalformedCase[] = [0, 1, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 40, 100].map((n) =>
  fails(`truncated to ${n} bytes`, () => writeEdited(`trunc-${n}`, (b) => b.subarray(0, n)), 'truncated'),
);
for (const back of [1, 2, 4, 8, 13, 24, 33, 36, 37]) {
  truncations.push(fails(`truncated ${back} bytes before the end`, () => writeEdited(`trunc-end-${back}`, (b) => b.subarray(0, b.byteLength - back)), 'truncated'));
}
truncations.push(fails('truncated right after the header', () => writeEdited('trunc-header', (b) => b.subarray(0, headerEnd())), 'truncated'));
truncations.push(fails('one byte short of the header', () => writeEdited('trunc-header-1', (b) => b.subarray(0, headerEnd() - 1)), 'truncated'));
truncations.push(fails('padded by one byte', () => writeEdited('padded', (b) => Buffer.concat([b, Buffer.of(0)])), 'truncated or padded'));
truncations.push(fails('header length 0xffffffff', () => writeEdited('hlen-max', (b) => (b.writeUInt32LE(0xffffffff, 8), b)), 'header alone needs'));
truncations.push(fails('header length 0', () => writeEdited('hlen-0', (b) => (b.writeUInt32LE(0, 8), b)), 'checksum mismatch in the header'));

const magics: MalformedCase[] = ['FLCKPT03', 'flckpt02', 'FLCKPT\0\0', '\x89PNG\r\n\x1a\n', 'PK\x03\x04....'].map((magic) =>
  fails(`magic ${JSON.stringify(magic)}`, () => writeEdited(`magic-${magic}`, (b) => (b.write(magic, 0, 'latin1'), b)), 'bad magic'),
);
magics.push(fails('missing file', () => join(root, 'no-such.flckpt'), 'file not found'));
magics.push(fails('a folder, not a file', () => root, 'cannot read checkpoint'));

// Bit flips: the header checksum (v2) covers the header, the data checksum the tensors.
const flips: MalformedCase[] = [];
for (const at of [0, 1, 10, 25, 50, 99, 150, -1]) {
  flips.push(fails(`bit flip at header byte ${at}`, () => writeEdited(`flip-h-${at}`, (b) => {
    const i = at >= 0 ? 16 + at : headerEnd() - 1;
    b[i]! ^= 0x04;
    return b;
  }), 'checksum mismatch in the header'));
}
flips.push(fails('header checksum field flipped', () => writeEdited('flip-hcrc', (b) => ((b[12]! ^= 1), b)), 'checksum mismatch in the header'));
for (const at of [0, 3, 11, 23, 24, 39, 40, 41]) {
  flips.push(fails(`bit flip at data byte ${at}`, () => writeEdited(`flip-d-${at}`, (b) => ((b[headerEnd() + at]! ^= 0x80), b)), 'checksum mismatch in the tensor data'));
}

/** Header edits that break the schema, each with the message part it must give. */
type HeaderEdit = [name: string, edit: (h: Record<string, unknown>) => unknown, why: string];
const entry = (h: Record<string, unknown>, i = 0) => (h.tensors as Record<string, unknown>[])[i]!;
const setEntry = (field: string, value: unknown, i = 0) => (h: Record<string, unknown>) => ((entry(h, i)[field] = value), h);
const dropEntry = (field: string) => (h: Record<string, unknown>) => (delete entry(h)[field], h);

const headerEdits: HeaderEdit[] = [
  ['header null', () => null, 'null is not a JSON object'],
  ['header a list', () => [1, 2], 'is not a JSON object'],
  ['header a number', () => 42, 'is not a JSON object'],
  ['header a string', () => 'facelab-checkpoint', 'is not a JSON object'],
  ['format missing', (h) => (delete h.format, h), 'format is undefined'],
  ['format wrong', (h) => ({ ...h, format: 'other' }), 'format is "other"'],
  ['version missing', (h) => (delete h.version, h), 'version is undefined'],
  ['version 3', (h) => ({ ...h, version: 3 }), 'version is 3'],
  ['version a string', (h) => ({ ...h, version: '2' }), 'version is "2"'],
  ['state missing', (h) => (delete h.state, h), 'no state'],
  ['dataBytes missing', (h) => (delete h.dataBytes, h), 'dataBytes is undefined'],
  ['dataBytes negative', (h) => ({ ...h, dataBytes: -1 }), 'dataBytes is -1'],
  ['dataBytes fractional', (h) => ({ ...h, dataBytes: 40.5 }), 'dataBytes is 40.5'],
  ['dataBytes a string', (h) => ({ ...h, dataBytes: '40' }), 'dataBytes is "40"'],
  ['dataBytes 1e300', (h) => ({ ...h, dataBytes: 1e300 }), 'dataBytes is 1e+300'],
  ['dataBytes too large', (h) => ({ ...h, dataBytes: 1000 }), 'truncated or padded'],
  ['dataBytes too small', (h) => ({ ...h, dataBytes: 8 }), 'past the 8-byte data section'],
  ['crc32 missing', (h) => (delete h.crc32, h), 'crc32 is undefined'],
  ['crc32 negative', (h) => ({ ...h, crc32: -1 }), 'crc32 is -1'],
  ['crc32 2^32', (h) => ({ ...h, crc32: 2 ** 32 }), 'crc32 is 4294967296'],
  ['crc32 a string', (h) => ({ ...h, crc32: 'abc' }), 'crc32 is "abc"'],
  ['crc32 wrong', (h) => ({ ...h, crc32: ((h.crc32 as number) ^ 1) >>> 0 }), 'checksum mismatch in the tensor data'],
  ['tensors missing', (h) => (delete h.tensors, h), 'tensors is undefined'],
  ['tensors null', (h) => ({ ...h, tensors: null }), 'tensors is null'],
  ['tensors an object', (h) => ({ ...h, tensors: { w: 1 } }), 'not a list'],
  ['tensor entry null', (h) => ((h.tensors as unknown[])[0] = null, h), 'tensors[0] is null'],
  ['tensor entry a number', (h) => ((h.tensors as unknown[])[1] = 5, h), 'tensors[1] is 5'],
  ['tensor name missing', dropEntry('name'), 'tensors[0].name is undefined'],
  ['tensor name empty', setEntry('name', ''), 'tensors[0].name is ""'],
  ['tensor name a number', setEntry('name', 7), 'tensors[0].name is 7'],
  ['tensor stored twice', setEntry('name', 'w', 1), "tensor 'w' (tensors[1]) is stored twice"],
  ['dtype missing', dropEntry('dtype'), 'has dtype undefined'],
  ['dtype float64', setEntry('dtype', 'float64'), 'has dtype "float64"'],
  ['dtype string', setEntry('dtype', 'string'), 'has dtype "string"'],
  ['dtype complex64', setEntry('dtype', 'complex64'), 'has dtype "complex64"'],
  ['dtype toString (inherited key)', setEntry('dtype', 'toString'), 'has dtype "toString"'],
  ['dtype bool for float32 bytes', setEntry('dtype', 'bool'), 'has 24 bytes, but shape [2,3] of bool needs 6'],
  ['shape missing', dropEntry('shape'), 'has shape undefined'],
  ['shape null', setEntry('shape', null), 'has shape null'],
  ['shape a string', setEntry('shape', '2,3'), 'has shape "2,3"'],
  ['shape negative', setEntry('shape', [-2, -3]), 'has shape [-2,-3]'],
  ['shape fractional', setEntry('shape', [1.5, 4]), 'has shape [1.5,4]'],
  ['shape with a string', setEntry('shape', [2, '3']), 'has shape [2,"3"]'],
  ['shape with null (NaN in JSON)', setEntry('shape', [null, 3]), 'has shape [null,3]'],
  ['shape with too many elements', setEntry('shape', [2 ** 30, 2 ** 30, 2 ** 30]), 'with too many elements'],
  ['shape of another size', setEntry('shape', [3, 3]), 'has 24 bytes, but shape [3,3] of float32 needs 36'],
  ['shape empty for 6 values', setEntry('shape', []), 'has 24 bytes, but shape [] of float32 needs 4'],
  ['offset missing', dropEntry('offset'), 'has offset undefined'],
  ['offset negative', setEntry('offset', -4), 'has offset -4'],
  ['offset fractional', setEntry('offset', 0.5), 'has offset 0.5'],
  ['offset a string', setEntry('offset', '0'), 'has offset "0"'],
  ['offset past the data', setEntry('offset', 1000), 'spans bytes 1000–1024'],
  ['offset straddling the end', setEntry('offset', 30), 'spans bytes 30–54'],
  ['offset 2^53', setEntry('offset', 2 ** 53), 'has offset 9007199254740992'],
  ['bytes missing', dropEntry('bytes'), 'has byte length undefined'],
  ['bytes negative', setEntry('bytes', -24), 'has byte length -24'],
  ['bytes zero', setEntry('bytes', 0), 'has 0 bytes, but shape [2,3] of float32 needs 24'],
  ['bytes larger than the shape', setEntry('bytes', 28), 'has 28 bytes, but shape [2,3] of float32 needs 24'],
  ['last tensor past the data', setEntry('offset', 41, 2), "tensor 'b' (tensors[2]) spans bytes 41–43"],
];

const schemaV2 = headerEdits.map(([name, edit, why]) => fails(`v2 header: ${name}`, () => writeWith(`v2-${name}`, edit(parts().header)), why));
// The same edits in a version-1 file (no header checksum: the schema alone stands between them and tfjs).
const schemaV1 = headerEdits
  .filter(([name]) => !name.startsWith('version'))
  .map(([name, edit, why]) =>
    fails(`v1 header: ${name}`, () => {
      const h = parts().header;
      const edited = edit({ ...h, version: 1, tensors: structuredClone(h.tensors) });
      return writeWith(`v1-${name}`, edited, 1);
    }, why),
  );

const readable: MalformedCase[] = [
  {
    name: 'version-1 file (written before the header checksum) still reads',
    run: async () => {
      const h = parts().header;
      const loaded = await loadCheckpoint(writeWith('v1-valid', { ...h, version: 1 }, 1));
      const values = [...loaded.tensors.entries()].map(([n, t]) => [n, Array.from(t.dataSync())]);
      tf.dispose([...loaded.tensors.values()]);
      return { state: loaded.state, values };
    },
    ok: (r) => expect(r).toEqual({ state: { step: 3, note: 'valid' }, values: [['w', [1, 2, 3, 4, 5, 6]], ['i', [7, 8, 9, 10]], ['b', [1, 0]]] }),
  },
  {
    name: 'a version-1 magic with a version-2 header',
    run: () => loadCheckpoint(writeWith('v1-magic-v2-header', parts().header, 1)),
    error: 'version is 2, the file\'s magic says 1',
  },
  {
    name: 'saving a tensor name twice',
    run: async () => {
      const t = tf.scalar(1);
      try {
        return await saveCheckpoint(join(root, 'twice.flckpt'), {}, [{ name: 'a', tensor: t }, { name: 'a', tensor: t }]);
      } finally {
        t.dispose();
      }
    },
    error: "tensor 'a' given twice",
  },
  {
    name: 'no tensors at all (an empty model) reads',
    run: async () => (await loadCheckpoint(writeWith('empty', { ...parts().header, tensors: [], dataBytes: 0, crc32: 0 }, 2, Buffer.alloc(0)))).tensors.size,
    ok: (n) => expect(n).toBe(0),
  },
];

describeMalformed('checkpoint file: truncations', truncations, { numTensors });
describeMalformed('checkpoint file: magic and access', magics, { numTensors });
describeMalformed('checkpoint file: bit flips', flips, { numTensors });
describeMalformed('checkpoint file: version-2 header schema', schemaV2, { numTensors });
describeMalformed('checkpoint file: version-1 header schema', schemaV1, { numTensors });
describeMalformed('checkpoint file: valid odd files', readable, { numTensors });
