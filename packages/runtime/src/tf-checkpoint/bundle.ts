/**
 * TensorFlow's checkpoint format ("tensor bundle", TF ≥ 1.0's V2 checkpoints): `<prefix>.index` is a LevelDB
 * table mapping each tensor name to a BundleEntryProto (dtype, shape, shard, offset, size, masked CRC-32C of
 * the bytes), whose empty key holds the BundleHeaderProto (shard count, endianness, version);
 * `<prefix>.data-<shard>-of-<shards>` hold the tensors' bytes. Read here without TensorFlow.
 */
import { readFile } from 'node:fs/promises';
import { pbInts, readFields, readVarint, WIRE, type PbField } from '../onnx/protobuf.js';
import { crc32c, maskCrc32c } from './crc32c.js';
import { readSstable } from './sstable.js';

/** A tensor of a checkpoint: TensorFlow's dtype name without `DT_` in lower case, shape, and values. */
export type TfCheckpointTensor =
  | { dtype: 'float'; shape: number[]; values: Float32Array }
  | { dtype: 'double'; shape: number[]; values: Float64Array }
  | { dtype: 'int32'; shape: number[]; values: Int32Array }
  | { dtype: 'int64'; shape: number[]; values: BigInt64Array }
  | { dtype: 'uint8' | 'bool'; shape: number[]; values: Uint8Array }
  | { dtype: 'string'; shape: number[]; values: Uint8Array[] };

/** Fixed-width dtypes by their DataType enum number: name, bytes per element and typed array. */
const FIXED = {
  1: { dtype: 'float', width: 4, make: (b: ArrayBuffer) => new Float32Array(b) },
  2: { dtype: 'double', width: 8, make: (b: ArrayBuffer) => new Float64Array(b) },
  3: { dtype: 'int32', width: 4, make: (b: ArrayBuffer) => new Int32Array(b) },
  4: { dtype: 'uint8', width: 1, make: (b: ArrayBuffer) => new Uint8Array(b) },
  9: { dtype: 'int64', width: 8, make: (b: ArrayBuffer) => new BigInt64Array(b) },
  10: { dtype: 'bool', width: 1, make: (b: ArrayBuffer) => new Uint8Array(b) },
} as const;
const DT_STRING = 7;

/** The checkpoint's files for error messages: `<prefix>.index`, `<prefix>.data-00000-of-00001`, … */
export function tfCheckpointFiles(prefix: string, shards: number): { index: string; data: string[] } {
  const pad = (n: number) => String(n).padStart(5, '0');
  return { index: `${prefix}.index`, data: Array.from({ length: shards }, (_, i) => `${prefix}.data-${pad(i)}-of-${pad(shards)}`) };
}

interface Entry {
  dtype: number;
  shape: number[];
  shard: number;
  offset: number;
  size: number;
  crc: number;
}

const field = (fields: PbField[], n: number) => fields.find((f) => f.field === n);
const num = (fields: PbField[], n: number) => field(fields, n)?.value ?? 0;

function parseEntry(value: Uint8Array, where: string): Entry {
  const f = readFields(value, 0, `BundleEntryProto of ${where}`);
  if (f.some((x) => x.field === 7)) throw new Error(`${where} is a slice of a partitioned variable, which is not supported`);
  const crcField = field(f, 6);
  if (crcField === undefined || crcField.wire !== WIRE.fixed32) throw new Error(`${where} has no crc32c field`);
  const shapeField = field(f, 2);
  const dims = shapeField ? readFields(shapeField.bytes, 0, `shape of ${where}`).filter((d) => d.field === 2) : [];
  const shape = dims.map((d) => pbInts(readFields(d.bytes, 0, `shape of ${where}`), 1)[0] ?? 0);
  if (shape.some((d) => d < 0)) throw new Error(`${where} has an unknown dimension in shape [${shape}]`);
  const crc = new DataView(crcField.bytes.buffer, crcField.bytes.byteOffset, 4).getUint32(0, true);
  return { dtype: num(f, 1), shape, shard: num(f, 3), offset: num(f, 4), size: num(f, 5), crc };
}

/** A DT_STRING tensor's bytes: varint lengths, a masked CRC-32C of the lengths, then the strings. */
function decodeStrings(bytes: Uint8Array, count: number, where: string): { values: Uint8Array[]; crc: number } {
  let crc = 0;
  let pos = 0;
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = readVarint(bytes, pos);
    if (typeof v === 'string') throw new Error(`${where}: string lengths: ${v}`);
    lengths.push(v.value);
    pos = v.next;
    // TensorFlow checksums each length as a little-endian uint32 (uint64 above 2^32 − 1).
    const le = new Uint8Array(8);
    new DataView(le.buffer).setBigUint64(0, BigInt(v.value), true);
    crc = crc32c(le.subarray(0, v.value > 0xffffffff ? 8 : 4), crc);
  }
  if (pos + 4 > bytes.length) throw new Error(`${where}: string data truncated before its length checksum`);
  const stored = bytes.subarray(pos, pos + 4);
  if (new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0, true) !== maskCrc32c(crc)) {
    throw new Error(`${where}: string lengths fail their CRC-32C check`);
  }
  crc = crc32c(stored, crc);
  pos += 4;
  const values = lengths.map((n) => {
    if (pos + n > bytes.length) throw new Error(`${where}: string data runs past the entry's ${bytes.length} bytes`);
    const s = bytes.subarray(pos, pos + n);
    crc = crc32c(s, crc);
    pos += n;
    return s.slice();
  });
  return { values, crc };
}

function decodeTensor(entry: Entry, shard: Uint8Array, where: string): TfCheckpointTensor {
  const { dtype, shape, offset, size } = entry;
  const count = shape.reduce((a, b) => a * b, 1);
  if (offset + size > shard.length) {
    throw new Error(`${where}: bytes ${offset}–${offset + size} lie past the end of its ${shard.length}-byte data file`);
  }
  const bytes = shard.subarray(offset, offset + size);
  if (dtype === DT_STRING) {
    const { values, crc } = decodeStrings(bytes, count, where);
    if (maskCrc32c(crc) !== entry.crc) throw new Error(`${where}: CRC-32C mismatch (corrupt data file)`);
    return { dtype: 'string', shape, values };
  }
  const kind = FIXED[dtype as keyof typeof FIXED];
  if (kind === undefined) throw new Error(`${where} has dtype ${dtype} (DataType enum), not one of float, double, int32, uint8, int64, bool, string`);
  if (size !== count * kind.width) throw new Error(`${where}: ${size} bytes, but ${kind.dtype} [${shape}] needs ${count * kind.width}`);
  if (maskCrc32c(crc32c(bytes)) !== entry.crc) throw new Error(`${where}: CRC-32C mismatch (corrupt data file)`);
  return { dtype: kind.dtype, shape, values: kind.make(bytes.slice().buffer) } as TfCheckpointTensor;
}

/**
 * Decodes a checkpoint from its `.index` bytes and its data shards' bytes (in shard order); `prefix` names
 * the files in errors. Every tensor's bytes are checked against the CRC-32C stored in the index. Errors are
 * one line naming the file and the tensor: wrong magic, truncated or compressed index, a big-endian bundle,
 * a missing shard, bytes past the end of a shard, a size that does not match dtype and shape, a CRC mismatch,
 * partitioned variables (slices) and dtypes other than float, double, int32, uint8, int64, bool and string.
 */
export function decodeTfCheckpoint(index: Uint8Array, shards: readonly Uint8Array[], prefix: string): Map<string, TfCheckpointTensor> {
  const indexFile = `${prefix}.index`;
  const entries = readSstable(index, indexFile);
  const names = new TextDecoder();
  const header = entries[0];
  if (header === undefined || header.key.length !== 0) throw new Error(`${indexFile}: no BundleHeaderProto (the entry with the empty key)`);
  const h = readFields(header.value, 0, `${indexFile}: BundleHeaderProto`);
  const numShards = num(h, 1);
  if (num(h, 2) !== 0) throw new Error(`${indexFile}: big-endian bundle, which is not supported`);
  const files = tfCheckpointFiles(prefix, numShards);
  const tensors = new Map<string, TfCheckpointTensor>();
  for (const { key, value } of entries.slice(1)) {
    const name = names.decode(key);
    const entry = parseEntry(value, `${indexFile}: entry '${name}'`);
    const dataFile = files.data[entry.shard];
    const shard = shards[entry.shard];
    if (dataFile === undefined || shard === undefined) {
      throw new Error(`${indexFile}: entry '${name}' is in shard ${entry.shard}, but ${dataFile ?? `the bundle has ${numShards} shards`}${dataFile ? ' is missing' : ''}`);
    }
    tensors.set(name, decodeTensor(entry, shard, `${dataFile}: entry '${name}'`));
  }
  return tensors;
}

/**
 * Reads the TensorFlow checkpoint at `prefix` (the path without `.index`, e.g. `model.ckpt-1000`, as TF's
 * `tf.train.Saver` writes it): name → {@link TfCheckpointTensor}. Errors as {@link decodeTfCheckpoint}'s;
 * a missing file is named.
 */
export async function readTfCheckpoint(prefix: string): Promise<Map<string, TfCheckpointTensor>> {
  const read = async (file: string, what: string) => {
    try {
      return new Uint8Array(await readFile(file));
    } catch {
      throw new Error(`${file}: cannot read the checkpoint's ${what} (TensorFlow V2 checkpoints have <prefix>.index and <prefix>.data-* files)`);
    }
  };
  const index = await read(`${prefix}.index`, 'index');
  const header = readSstable(index, `${prefix}.index`)[0];
  const shards = header && header.key.length === 0 ? num(readFields(header.value, 0, 'BundleHeaderProto'), 1) : 0;
  const data = await Promise.all(tfCheckpointFiles(prefix, shards).data.map((f) => read(f, 'data shard')));
  return decodeTfCheckpoint(index, data, prefix);
}
