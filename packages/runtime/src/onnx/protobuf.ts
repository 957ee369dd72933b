/**
 * The few protobuf encodings an ONNX model needs (varints, length-delimited fields, fixed32 floats), so
 * single-op graphs can be built in memory without a protobuf library.
 */

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private bytes: number[] = [];

  /** Unsigned or two's-complement int64 varint. */
  private varint(value: number | bigint): this {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
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
    for (const b of new Uint8Array(new Float32Array([value]).buffer)) this.bytes.push(b);
    return this;
  }

  /** A bytes field. */
  raw(field: number, data: Uint8Array): this {
    this.key(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, message: ProtoWriter): this {
    return this.raw(field, message.finish());
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
