/**
 * U and V maps as 16-bit greyscale PNGs: pixel 0 = background, else 1 + round(u·65534), so u ∈ [0, 1] keeps
 * a step of 1/65534 and background stays distinct from u = 0. Encoder and decoder of exactly that PNG form
 * (colour type 0, bit depth 16, no interlace, filter 0 on every row) with node:zlib; @facelab/data's image
 * codecs are 8-bit.
 */
import { readFile } from 'node:fs/promises';
import { deflateSync, inflateSync } from 'node:zlib';
import { writeFileAtomic } from '@facelab/runtime';

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);
const SCALE = 65534;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** Encodes a map (values in [0, 1], −1 = background) as a 16-bit greyscale PNG. */
export function encodeUVPng(map: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (map.length !== width * height) throw new Error(`encodeUVPng: map has ${map.length} values, expected ${width}×${height}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 16; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc(height * (1 + 2 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 2 * width);
    for (let x = 0; x < width; x++) {
      const u = map[y * width + x]!;
      if (!Number.isFinite(u) || u > 1 || (u < 0 && u !== -1))
        throw new Error(`encodeUVPng: value at (${x}, ${y}) must be in [0, 1] or −1, got ${u}`);
      raw.writeUInt16BE(u < 0 ? 0 : 1 + Math.round(u * SCALE), row + 1 + 2 * x);
    }
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** Decodes a PNG written by {@link encodeUVPng}; `name` labels errors. */
export function decodeUVPng(bytes: Uint8Array, name = '<png>'): { map: Float32Array; width: number; height: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!buf.subarray(0, 8).equals(Buffer.from(SIGNATURE))) throw new Error(`${name}: not a PNG file`);
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 16 || data[9] !== 0 || data[12] !== 0) {
        throw new Error(
          `${name}: expected a 16-bit greyscale non-interlaced PNG (U-V map), got bit depth ${data[8]}, colour type ${data[9]}`
        );
      }
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  if (width === 0 || idat.length === 0) throw new Error(`${name}: PNG has no IHDR or IDAT chunk`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + 2 * width;
  if (raw.length !== height * stride) throw new Error(`${name}: PNG data is ${raw.length} bytes, expected ${height * stride}`);
  const map = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * stride] !== 0)
      throw new Error(`${name}: row ${y} uses PNG filter ${raw[y * stride]}; only U-V maps written by encodeUVPng (filter 0) are read`);
    for (let x = 0; x < width; x++) {
      const p = raw.readUInt16BE(y * stride + 1 + 2 * x);
      map[y * width + x] = p === 0 ? -1 : (p - 1) / SCALE;
    }
  }
  return { map, width, height };
}

/** Writes a U or V map as a 16-bit PNG, atomically. */
export async function writeUVPng(path: string, map: ArrayLike<number>, width: number, height: number): Promise<void> {
  await writeFileAtomic(path, encodeUVPng(map, width, height));
}

/** Reads a U or V map written by {@link writeUVPng}. */
export async function readUVPng(path: string): Promise<{ map: Float32Array; width: number; height: number }> {
  return decodeUVPng(await readFile(path), path);
}
