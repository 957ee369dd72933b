/**
 * A reader for LevelDB's table format ("SSTable"), the container of TensorFlow's checkpoint `.index` files:
 * a 48-byte footer (metaindex and index block handles, then the magic 0xdb4775248b80fb57) points at an index
 * block whose values are handles of the data blocks. A block is a run of prefix-compressed entries
 * (varint shared, non-shared and value lengths, the key's new suffix, the value), the restart offsets
 * (fixed32 each) and their count (fixed32), followed by a 5-byte trailer: compression type (0 none, 1 snappy)
 * and the masked CRC-32C of the block and that type byte.
 */
import { readVarint } from '../onnx/protobuf.js';
import { crc32c, maskCrc32c } from './crc32c.js';

/** One key/value pair of a table. */
export interface SstableEntry {
  key: Uint8Array;
  value: Uint8Array;
}

const FOOTER_BYTES = 48;
const TRAILER_BYTES = 5;
const MAGIC_LOW = 0x8b80fb57;
const MAGIC_HIGH = 0xdb477524;

/** Thrown for a table that is not well formed; the message names the file and where the problem is. */
function fail(file: string, message: string): never {
  throw new Error(`${file}: not a valid TensorFlow checkpoint index (LevelDB table): ${message}`);
}

interface BlockHandle {
  offset: number;
  size: number;
}

function readHandle(buf: Uint8Array, pos: number, file: string, what: string): BlockHandle & { next: number } {
  const offset = readVarint(buf, pos);
  if (typeof offset === 'string') return fail(file, `${what}: ${offset}`);
  const size = readVarint(buf, offset.next);
  if (typeof size === 'string') return fail(file, `${what}: ${size}`);
  return { offset: offset.value, size: size.value, next: size.next };
}

/** The contents of the block at `handle`, its trailer checked (uncompressed, CRC matching). */
function blockContents(table: Uint8Array, handle: BlockHandle, file: string, what: string): Uint8Array {
  const end = handle.offset + handle.size;
  if (end + TRAILER_BYTES > table.length - FOOTER_BYTES) {
    fail(file, `${what} (offset ${handle.offset}, ${handle.size} bytes) runs past the end of the ${table.length}-byte file`);
  }
  const type = table[end]!;
  if (type === 1) fail(file, `${what} is snappy-compressed, which this reader does not implement (TensorFlow writes uncompressed tables)`);
  if (type !== 0) fail(file, `${what} has unknown compression type ${type}`);
  const stored = new DataView(table.buffer, table.byteOffset + end + 1, 4).getUint32(0, true);
  const actual = maskCrc32c(crc32c(table.subarray(end, end + 1), crc32c(table.subarray(handle.offset, end))));
  if (stored !== actual) fail(file, `${what} (offset ${handle.offset}) fails its CRC-32C check (stored ${stored}, computed ${actual})`);
  return table.subarray(handle.offset, end);
}

/** The entries of one block, keys rebuilt from their shared prefixes. */
function blockEntries(block: Uint8Array, file: string, what: string): SstableEntry[] {
  if (block.length < 4) fail(file, `${what} is ${block.length} bytes, too short for its restart count`);
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const restarts = view.getUint32(block.length - 4, true);
  const limit = block.length - 4 - 4 * restarts;
  if (restarts < 1 || limit < 0) fail(file, `${what} has an impossible restart count ${restarts}`);
  const entries: SstableEntry[] = [];
  let key = new Uint8Array(0);
  let pos = 0;
  while (pos < limit) {
    const at = `${what} entry at byte ${pos}`;
    const lengths: number[] = [];
    for (let i = 0; i < 3; i++) {
      const v = readVarint(block.subarray(0, limit), pos);
      if (typeof v === 'string') fail(file, `${at}: ${v}`);
      lengths.push(v.value);
      pos = v.next;
    }
    const [shared, unshared, valueLength] = lengths as [number, number, number];
    if (shared > key.length || pos + unshared + valueLength > limit) fail(file, `${at}: lengths run past the block`);
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(block.subarray(pos, pos + unshared), shared);
    key = next;
    pos += unshared;
    entries.push({ key, value: block.subarray(pos, pos + valueLength) });
    pos += valueLength;
  }
  return entries;
}

/**
 * Every entry of a LevelDB table, in key order. Fails with a one-line error naming `file` on a wrong magic
 * number, a truncated file or block, a compressed block, or a block whose CRC-32C does not match.
 */
export function readSstable(table: Uint8Array, file: string): SstableEntry[] {
  if (table.length < FOOTER_BYTES) fail(file, `${table.length} bytes, shorter than the ${FOOTER_BYTES}-byte footer`);
  const footer = table.subarray(table.length - FOOTER_BYTES);
  const magic = new DataView(footer.buffer, footer.byteOffset + FOOTER_BYTES - 8, 8);
  if (magic.getUint32(0, true) !== MAGIC_LOW || magic.getUint32(4, true) !== MAGIC_HIGH) {
    fail(file, 'wrong magic number in the footer (truncated, or not a .index file)');
  }
  const metaindex = readHandle(footer, 0, file, 'footer');
  const index = readHandle(footer, metaindex.next, file, 'footer');
  const entries: SstableEntry[] = [];
  for (const { key, value } of blockEntries(blockContents(table, index, file, 'index block'), file, 'index block')) {
    const what = `data block of index key '${new TextDecoder().decode(key)}'`;
    const handle = readHandle(value, 0, file, `index block entry of the ${what}`);
    entries.push(...blockEntries(blockContents(table, handle, file, what), file, what));
  }
  return entries;
}
