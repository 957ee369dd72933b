/**
 * The checkpoint file: one file per checkpoint so a single atomic rename publishes weights and training state
 * together. Layout: 8-byte magic `FLCKPT01`, uint32 LE header length, UTF-8 JSON header, tensor bytes. The
 * header records the data length and its CRC-32, so truncation and corruption are detected and reported.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { tf } from '../tf.js';
import { writeFileAtomic } from '@facelab/runtime';

const MAGIC = 'FLCKPT01';
const PREFIX = 8 + 4;
const CHECKPOINT_NAME = /^ckpt-(\d+)\.flckpt$/;

/** One stored tensor: where its bytes are in the data section. */
interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  offset: number;
  bytes: number;
}

interface Header<S> {
  format: 'facelab-checkpoint';
  version: 1;
  state: S;
  tensors: TensorEntry[];
  dataBytes: number;
  crc32: number;
}

/** A checkpoint read back: JSON state plus named tensors (the caller disposes them). */
export interface LoadedCheckpoint<S> {
  state: S;
  tensors: Map<string, tf.Tensor>;
}

/** The file name of the checkpoint at `step` (zero-padded so names sort by step). */
export function checkpointFileName(step: number): string {
  return `ckpt-${String(step).padStart(9, '0')}.flckpt`;
}

/** Checkpoint files in `dir`, oldest first (temp files of interrupted writes are ignored). */
export async function listCheckpoints(dir: string): Promise<{ step: number; path: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => ({ m: CHECKPOINT_NAME.exec(n), n }))
    .filter((e) => e.m !== null)
    .map((e) => ({ step: Number(e.m![1]), path: join(dir, e.n) }))
    .sort((a, b) => a.step - b.step);
}

/** The newest checkpoint in `dir`, or undefined when there is none. */
export async function latestCheckpoint(dir: string): Promise<string | undefined> {
  return (await listCheckpoints(dir)).at(-1)?.path;
}

/** Writes `state` (JSON-serialisable) and `tensors` atomically to `path`. */
export async function saveCheckpoint<S>(path: string, state: S, tensors: { name: string; tensor: tf.Tensor }[]): Promise<void> {
  const entries: TensorEntry[] = [];
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const dtype = tensor.dtype;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new Error(`saveCheckpoint('${path}'): tensor '${name}' has unsupported dtype ${dtype}`);
    }
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name, dtype, shape: tensor.shape, offset, bytes: bytes.byteLength });
    blobs.push(bytes);
    offset += bytes.byteLength;
  }
  let crc = 0;
  for (const b of blobs) crc = crc32(b, crc);
  const header: Header<S> = { format: 'facelab-checkpoint', version: 1, state, tensors: entries, dataBytes: offset, crc32: crc };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.byteLength, 8);
  await writeFileAtomic(path, [prefix, headerBytes, ...blobs]);
}

/** Reads a checkpoint; a missing, truncated or corrupt file is an Error naming it and what is wrong. */
export async function loadCheckpoint<S>(path: string): Promise<LoadedCheckpoint<S>> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read checkpoint '${path}': ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  const bad = (why: string) => new Error(`corrupt checkpoint '${path}': ${why}`);
  if (buf.byteLength < PREFIX) throw bad(`truncated: ${buf.byteLength} bytes, shorter than the ${PREFIX}-byte prefix`);
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw bad(`not a facelab checkpoint (bad magic)`);
  const headerLen = buf.readUInt32LE(8);
  if (buf.byteLength < PREFIX + headerLen) {
    throw bad(`truncated: ${buf.byteLength} bytes, header alone needs ${PREFIX + headerLen}`);
  }
  let header: Header<S>;
  try {
    header = JSON.parse(buf.toString('utf8', PREFIX, PREFIX + headerLen)) as Header<S>;
  } catch (err) {
    throw bad(`unreadable header: ${(err as Error).message}`);
  }
  if (header.format !== 'facelab-checkpoint' || header.version !== 1) throw bad(`unknown format/version`);
  const start = PREFIX + headerLen;
  const expected = start + header.dataBytes;
  if (buf.byteLength !== expected) {
    throw bad(`truncated or padded: ${buf.byteLength} bytes, expected ${expected}`);
  }
  const data = buf.subarray(start);
  if (crc32(data) !== header.crc32) throw bad(`checksum mismatch in the tensor data`);
  const tensors = new Map<string, tf.Tensor>();
  for (const e of header.tensors) {
    const bytes = data.slice(e.offset, e.offset + e.bytes); // a copy, aligned for the typed array
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const values =
      e.dtype === 'float32' ? new Float32Array(ab) : e.dtype === 'int32' ? new Int32Array(ab) : new Uint8Array(ab);
    tensors.set(e.name, tf.tensor(values, e.shape, e.dtype));
  }
  return { state: header.state, tensors };
}
