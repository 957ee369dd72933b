/**
 * MXNet RecordIO (`.rec` + `.idx`), the format of insightface's training sets (MS1M, Glint360K, WebFace42M).
 * A record is: uint32 magic 0xced7230a, uint32 lrecord (upper 3 bits cflag, lower 29 bits length), the
 * payload, zero padding to 4 bytes. Payloads that contained the magic are split into parts with cflag
 * 1 (first), 2 (middle), 3 (last), rejoined with the magic. A payload is an IRHeader (uint32 flag, float32
 * label, uint64 id, uint64 id2; when flag > 0, `flag` float32 labels follow) and then the image bytes.
 * The `.idx` file has lines `key<TAB>byte offset`.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/** RecordIO magic number. */
export const RECORDIO_MAGIC = 0xced7230a;

/** The image record header insightface writes (mx.recordio.IRHeader). */
export interface IRHeader {
  flag: number;
  /** A single label, or `flag` labels (e.g. record 0 holds the identity range [first, end)). */
  label: number | number[];
  id: bigint;
  id2: bigint;
}

/** One decoded record. */
export interface ImageRecord {
  header: IRHeader;
  /** Encoded image (usually JPEG). */
  image: Uint8Array;
}

/** Splits a record payload into its IRHeader and image bytes. */
export function unpackImageRecord(payload: Uint8Array, where = 'record'): ImageRecord {
  if (payload.length < 24) throw new Error(`${where}: payload of ${payload.length} bytes is shorter than an IRHeader (24)`);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const flag = v.getUint32(0, true);
  let label: number | number[] = v.getFloat32(4, true);
  let start = 24;
  if (flag > 0) {
    if (24 + 4 * flag > payload.length) throw new Error(`${where}: IRHeader flag ${flag} announces more labels than the payload holds`);
    label = Array.from({ length: flag }, (_, i) => v.getFloat32(24 + 4 * i, true));
    start += 4 * flag;
  }
  return { header: { flag, label, id: v.getBigUint64(8, true), id2: v.getBigUint64(16, true) }, image: payload.subarray(start) };
}

/** Random and sequential access to a `.rec` file, with its `.idx` when given. */
export class RecordIOReader {
  /** Byte offset of each key from the `.idx` file (insertion order). */
  readonly index: Map<number, number>;
  private readonly fd: number;
  private readonly size: number;

  /** Opens `recPath` (and reads `idxPath` if given). Call {@link close} when done. */
  constructor(readonly recPath: string, idxPath?: string) {
    this.index = idxPath === undefined ? new Map() : parseIdx(readFileSync(idxPath, 'utf8'), idxPath);
    this.fd = openSync(recPath, 'r');
    this.size = fstatSync(this.fd).size;
  }

  /** Keys listed in the `.idx` file. */
  keys(): number[] {
    return [...this.index.keys()];
  }

  /** Reads the raw payload of the record starting at `offset`; returns it and the next record's offset. */
  readAt(offset: number): { payload: Uint8Array; next: number } {
    const parts: Uint8Array[] = [];
    let pos = offset;
    for (;;) {
      const head = this.bytes(pos, 8, offset);
      const v = new DataView(head.buffer, head.byteOffset, 8);
      const magic = v.getUint32(0, true);
      if (magic !== RECORDIO_MAGIC) {
        throw new Error(`${this.recPath}: corrupt record at byte offset ${pos}: magic 0x${magic.toString(16)} instead of 0xced7230a`);
      }
      const lrec = v.getUint32(4, true);
      const cflag = lrec >>> 29;
      const length = lrec & 0x1fffffff;
      if ((parts.length === 0) !== (cflag === 0 || cflag === 1)) {
        throw new Error(`${this.recPath}: corrupt record at byte offset ${pos}: continuation flag ${cflag} out of sequence`);
      }
      parts.push(this.bytes(pos + 8, length, offset));
      pos += 8 + length + ((4 - (length % 4)) % 4);
      if (cflag === 0 || cflag === 3) break;
    }
    return { payload: joinParts(parts), next: pos };
  }

  /** The record of `key` (needs the `.idx`). */
  read(key: number): ImageRecord {
    const offset = this.index.get(key);
    if (offset === undefined) throw new Error(`${this.recPath}: key ${key} is not in the index`);
    return unpackImageRecord(this.readAt(offset).payload, `${this.recPath} record ${key} (byte offset ${offset})`);
  }

  /** Every record in file order, without the index. */
  *records(): Generator<ImageRecord & { offset: number }> {
    let offset = 0;
    while (offset < this.size) {
      const { payload, next } = this.readAt(offset);
      yield { ...unpackImageRecord(payload, `${this.recPath} record at byte offset ${offset}`), offset };
      offset = next;
    }
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  private bytes(pos: number, length: number, record: number): Uint8Array {
    if (pos + length > this.size) {
      throw new Error(`${this.recPath}: corrupt record at byte offset ${record}: needs bytes up to ${pos + length}, file has ${this.size}`);
    }
    const out = new Uint8Array(length);
    readSync(this.fd, out, 0, length, pos);
    return out;
  }
}

function joinParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const magic = new Uint8Array(4);
  new DataView(magic.buffer).setUint32(0, RECORDIO_MAGIC, true);
  const pieces = parts.flatMap((p, i) => (i === 0 ? [p] : [magic, p]));
  const out = new Uint8Array(pieces.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function parseIdx(text: string, path: string): Map<number, number> {
  const index = new Map<number, number>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (m === null) throw new Error(`${path}:${i + 1}: expected 'key<TAB>offset', got '${line}'`);
    index.set(Number(m[1]), Number(m[2]));
  });
  return index;
}
