/** The TensorFlow checkpoint reader on bundles TensorFlow wrote (tensorflow/rust's test data), and on broken copies. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMalformed } from '@facelab/test-utils';
import { crc32c, decodeTfCheckpoint, maskCrc32c, readTfCheckpoint } from '../src/index.js';

const fixture = (name: string) => join(new URL('./fixtures/tf-checkpoint/', import.meta.url).pathname, name, 'variables');
const bytes = (prefix: string, ext: string) => new Uint8Array(readFileSync(`${prefix}.${ext}`));
const DATA = 'data-00000-of-00001';

describe('crc32c', () => {
  it('matches the standard check value and LevelDB masking', () => {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720 / the Castagnoli check value).
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new TextEncoder().encode('56789'), crc32c(new TextEncoder().encode('1234')))).toBe(0xe3069283);
    expect(maskCrc32c(0)).toBe(0xa282ead8);
  });
});

describe('readTfCheckpoint on TensorFlow-written bundles', () => {
  it('reads a TF 1.x bundle: w in [-1, 1] and b = 0, both float [1]', async () => {
    const ckpt = await readTfCheckpoint(fixture('tf1-regression'));
    expect([...ckpt.keys()]).toEqual(['b', 'w']);
    const b = ckpt.get('b')!;
    const w = ckpt.get('w')!;
    expect([b.dtype, b.shape, [...b.values]]).toEqual(['float', [1], [0]]);
    expect([w.dtype, w.shape]).toEqual(['float', [1]]);
    expect(Math.abs(w.values[0] as number)).toBeLessThanOrEqual(1);
  });

  it('reads a TF 2 object-graph bundle: optimizer scalars, int64 iter and the string object graph', async () => {
    const ckpt = await readTfCheckpoint(fixture('tf2-regression'));
    const value = (name: string) => ckpt.get(`${name}/.ATTRIBUTES/VARIABLE_VALUE`)!;
    expect(value('b')).toEqual({ dtype: 'float', shape: [1], values: new Float32Array([0]) });
    expect(value('optimizer/learning_rate')).toEqual({ dtype: 'float', shape: [], values: new Float32Array([0.5]) });
    expect(value('optimizer/decay').values).toEqual(new Float32Array([0]));
    expect(value('optimizer/momentum').values).toEqual(new Float32Array([0]));
    expect(value('optimizer/iter')).toEqual({ dtype: 'int64', shape: [], values: new BigInt64Array([0n]) });
    const graph = ckpt.get('_CHECKPOINTABLE_OBJECT_GRAPH')!;
    expect(graph.dtype).toBe('string');
    expect(graph.shape).toEqual([]);
    // A TrackableObjectGraph proto: it names the variables it tracks.
    expect(new TextDecoder('latin1').decode((graph.values as Uint8Array[])[0])).toContain('learning_rate');
  });
});

/** A copy of the TF 1.x bundle in a fresh folder, with `edit` applied to its (index, data) bytes. */
function broken(edit: (index: Uint8Array, data: Uint8Array) => { index?: Uint8Array; data?: Uint8Array | null }): string {
  const src = fixture('tf1-regression');
  const out = edit(bytes(src, 'index'), bytes(src, DATA));
  const prefix = join(mkdtempSync(join(tmpdir(), 'facelab-ckpt-')), 'model.ckpt');
  writeFileSync(`${prefix}.index`, out.index ?? bytes(src, 'index'));
  if (out.data !== null) writeFileSync(`${prefix}.${DATA}`, out.data ?? bytes(src, DATA));
  return prefix;
}

/**
 * The TF 1.x index with `bytes` written at `at` inside its one data block (offset 0, 57 bytes: the header
 * value at 3–8, entry 'b' at 9–27, entry 'w' at 28–56) and the block's CRC recomputed, so the edit is
 * what the reader meets.
 */
function patched(index: Uint8Array, at: number, bytes: number[]): Uint8Array {
  const c = index.slice();
  c.set(bytes, at);
  new DataView(c.buffer).setUint32(58, maskCrc32c(crc32c(c.subarray(0, 58))), true);
  return c;
}

const flip = (b: Uint8Array, at: number) => {
  const c = b.slice();
  c[at < 0 ? c.length + at : at]! ^= 0x01;
  return c;
};

describeMalformed('TensorFlow checkpoint', [
  { name: 'index missing', run: () => readTfCheckpoint('/nonexistent/model.ckpt'), error: '/nonexistent/model.ckpt.index: cannot read' },
  { name: 'index truncated to 20 bytes', run: () => readTfCheckpoint(broken((i) => ({ index: i.subarray(0, 20) }))), error: 'shorter than the 48-byte footer' },
  { name: 'index truncated by one byte', run: () => readTfCheckpoint(broken((i) => ({ index: i.subarray(0, i.length - 1) }))), error: 'wrong magic number' },
  { name: 'wrong magic', run: () => readTfCheckpoint(broken((i) => ({ index: flip(i, -1) }))), error: /model\.ckpt\.index: .*wrong magic number/ },
  { name: 'data block corrupted', run: () => readTfCheckpoint(broken((i) => ({ index: flip(i, 20) }))), error: /model\.ckpt\.index: .*data block .*fails its CRC-32C check/ },
  {
    name: 'snappy-compressed block',
    run: () =>
      readTfCheckpoint(
        broken((i) => {
          const c = i.slice();
          c[57] = 1; // the compression type after the one data block (offset 0, 57 bytes)
          return { index: c };
        }),
      ),
    error: "model.ckpt.index: not a valid TensorFlow checkpoint index (LevelDB table): data block of index key 'x' is snappy-compressed",
  },
  {
    name: 'big-endian bundle',
    run: () => readTfCheckpoint(broken((i) => ({ index: patched(i, 3, [0x08, 1, 0x10, 1, 0x1a, 0]) }))),
    error: 'model.ckpt.index: big-endian bundle',
  },
  {
    name: 'dtype the reader does not decode (DT_HALF)',
    run: () => readTfCheckpoint(broken((i) => ({ index: patched(i, 33, [19]) }))),
    error: "data-00000-of-00001: entry 'w' has dtype 19",
  },
  { name: 'data shard missing', run: () => readTfCheckpoint(broken(() => ({ data: null }))), error: 'model.ckpt.data-00000-of-00001: cannot read' },
  { name: 'data shard truncated (entry past its end)', run: () => readTfCheckpoint(broken((_, d) => ({ data: d.subarray(0, 6) }))), error: /data-00000-of-00001: entry 'w': bytes 4–8 lie past the end/ },
  { name: 'tensor bytes corrupted', run: () => readTfCheckpoint(broken((_, d) => ({ data: flip(d, 5) }))), error: /data-00000-of-00001: entry 'w': CRC-32C mismatch/ },
  { name: 'shard list shorter than the header says', run: () => decodeTfCheckpoint(bytes(fixture('tf1-regression'), 'index'), [], 'ckpt'), error: "ckpt.index: entry 'b' is in shard 0, but ckpt.data-00000-of-00001 is missing" },
]);
