/**
 * The protocol-buffers wire format, as much of it as ONNX models need, without a schema compiler: a writer
 * (varints, length-delimited fields, fixed32 floats) for the graphs facelab builds, and a reader that walks
 * any message (lengths and varints checked against the buffer, so a truncated file fails with its offset).
 */
/**
 * Appends protobuf fields to a growing byte buffer. Large byte fields (weights) and embedded messages are kept
 * as chunks, not copied byte by byte, so a model of hundreds of megabytes is concatenated once, in `finish`.
 */
export class ProtoWriter {
  private parts: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.size + this.pending.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }

  private chunk(data: Uint8Array): void {
    if (data.length < 256) {
      for (const b of data) this.pending.push(b);
      return;
    }
    this.flush();
    this.parts.push(data);
    this.size += data.length;
  }

  /** Unsigned or two's-complement int64 varint. */
  private varint(value: number | bigint): this {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
    return this;
  }

  private key(field: number, wireType: 0 | 2 | 5): this {
    return this.varint((field << 3) | wireType);
  }

  /** An int32/int64/enum field. */
  int(field: number, value: number): this {
    return this.key(field, 0).varint(value);
  }

  /** A float field (fixed32). */
  float(field: number, value: number): this {
    this.key(field, 5);
    for (const b of new Uint8Array(new Float32Array([value]).buffer)) this.pending.push(b);
    return this;
  }

  /** A bytes field (large payloads are referenced, not copied, until `finish`: do not modify them before). */
  raw(field: number, data: Uint8Array): this {
    this.key(field, 2).varint(data.length);
    this.chunk(data);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, message: ProtoWriter): this {
    this.key(field, 2).varint(message.length);
    message.flush();
    this.flush();
    for (const p of message.parts) this.parts.push(p);
    this.size += message.size;
    return this;
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    this.flush();
    if (this.parts.length === 1) return this.parts[0]!.slice();
    const out = new Uint8Array(this.size);
    let pos = 0;
    for (const p of this.parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

/**
 * Reads one base-128 varint (protobuf's and LevelDB's) at `pos`: its value (exact up to 2^53) and the offset
 * after it, or the problem in words ('truncated varint', 'varint longer than 10 bytes') for the caller to place.
 */
export function readVarint(buf: Uint8Array, pos: number): { value: number; next: number } | string {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) return 'truncated varint';
    const b = buf[pos++]!;
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return { value, next: pos };
    mul *= 128;
  }
  return 'varint longer than 10 bytes';
}

/** Wire types of the protobuf encoding. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** One field of a message: its number, wire type and either a numeric value or a byte range. */
export interface PbField {
  field: number;
  wire: number;
  /** Varint / fixed value (varints above 2^53 lose precision; ONNX dims and enums never get there). */
  value: number;
  /** Payload of a length-delimited field; the raw little-endian bytes of a fixed32/fixed64 field. */
  bytes: Uint8Array;
  /** Offset of the field's key in the outermost buffer, for error messages. */
  offset: number;
}

/** Reads the fields of one message from `buf`; `base` is the message's offset in the file. */
export function readFields(buf: Uint8Array, base = 0, what = 'message'): PbField[] {
  const fields: PbField[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const fail = (msg: string): never => {
    throw new Error(`protobuf ${what}: ${msg} at byte offset ${base + pos}`);
  };
  const varint = (): number => {
    const v = readVarint(buf, pos);
    if (typeof v === 'string') return fail(v);
    pos = v.next;
    return v.value;
  };
  while (pos < buf.length) {
    const offset = base + pos;
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail('field number 0');
    let value = 0;
    let bytes: Uint8Array = EMPTY;
    switch (wire) {
      case WIRE.varint:
        value = varint();
        break;
      case WIRE.fixed64:
        if (pos + 8 > buf.length) fail('truncated fixed64');
        value = view.getFloat64(pos, true);
        bytes = buf.subarray(pos, pos + 8);
        pos += 8;
        break;
      case WIRE.fixed32:
        if (pos + 4 > buf.length) fail('truncated fixed32');
        value = view.getFloat32(pos, true);
        bytes = buf.subarray(pos, pos + 4);
        pos += 4;
        break;
      case WIRE.bytes: {
        const len = varint();
        if (pos + len > buf.length) fail(`length ${len} runs past the end`);
        bytes = buf.subarray(pos, pos + len);
        value = base + pos;
        pos += len;
        break;
      }
      default:
        fail(`unsupported wire type ${wire} (field ${field})`);
    }
    fields.push({ field, wire, value, bytes, offset });
  }
  return fields;
}

const EMPTY: Uint8Array = new Uint8Array(0);
const utf8 = new TextDecoder();

/** A length-delimited field as UTF-8 text. */
export function pbString(f: PbField): string {
  return utf8.decode(f.bytes);
}

/** Repeated integers of a field number, packed or not (varint: signed int64 two's complement folded). */
export function pbInts(fields: PbField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE.varint) out.push(toSigned(f.value));
    else if (f.wire === WIRE.bytes) {
      // Packed: a run of varints.
      let pos = 0;
      while (pos < f.bytes.length) {
        const v = readVarint(f.bytes, pos);
        if (typeof v === 'string') throw new Error(`protobuf: ${v} (packed) at byte offset ${f.value + pos}`);
        out.push(toSigned(v.value));
        pos = v.next;
      }
    }
  }
  return out;
}

/** int64 values arrive as unsigned 64-bit varints; fold the two's-complement negatives back. */
function toSigned(v: number): number {
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
}
