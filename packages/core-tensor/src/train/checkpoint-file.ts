/**
 * The checkpoint file: one file per checkpoint so a single atomic rename publishes weights and training state
 * together. Layout (version 2): 8-byte magic `FLCKPT02`, uint32 LE header length, uint32 LE CRC-32 of the
 * header, UTF-8 JSON header, tensor bytes. The header records the data length and its CRC-32, so the header's
 * checksum covers everything: truncation and corruption anywhere are detected and reported. Version 1 files
 * (magic `FLCKPT01`, no header checksum) are still read; their header is schema-checked like every header.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { tf } from '../tf.js';
import { ATOMIC_TEMP_PATTERN, writeFileAtomic } from '@facelab/runtime';
import { CHECKPOINT_DTYPES, CheckpointError, checkCheckpointHeader, type CheckpointHeader, type TensorEntry } from './checkpoint-header.js';

/** File prefix of each format version: magic, then uint32 LE fields (header length; v2: header CRC-32). */
const FORMATS = {
  FLCKPT01: { version: 1, prefix: 8 + 4 },
  FLCKPT02: { version: 2, prefix: 8 + 4 + 4 },
} as const;
const CHECKPOINT_NAME = /^ckpt-(\d+)\.flckpt$/;

/** A checkpoint read back: JSON state plus named tensors (the caller disposes them). */
export interface LoadedCheckpoint<S> {
  state: S;
  tensors: Map<string, tf.Tensor>;
}

/** The file name of the checkpoint at `step` (zero-padded so names sort by step). */
export function checkpointFileName(step: number): string {
  return `ckpt-${String(step).padStart(9, '0')}.flckpt`;
}

/** The step a checkpoint's file name announces (`ckpt-<step>.flckpt`), or undefined for another name. */
export function checkpointStepOf(path: string): number | undefined {
  const m = CHECKPOINT_NAME.exec(basename(path));
  return m === null ? undefined : Number(m[1]);
}

/**
 * Checkpoint files in `dir`, oldest first. Only regular files count: temp files of interrupted writes are
 * ignored, and so are symbolic links (the trainer never writes one; a link could point anywhere).
 */
export async function listCheckpoints(dir: string): Promise<{ step: number; path: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => ({ step: checkpointStepOf(n), path: join(dir, n) }))
    .filter((e): e is { step: number; path: string } => e.step !== undefined)
    .sort((a, b) => a.step - b.step);
}

/** The newest checkpoint in `dir`, or undefined when there is none. */
export async function latestCheckpoint(dir: string): Promise<string | undefined> {
  return (await listCheckpoints(dir)).at(-1)?.path;
}

/** Writes `state` (JSON-serialisable) and `tensors` (unique names) atomically to `path`. */
export async function saveCheckpoint<S>(path: string, state: S, tensors: { name: string; tensor: tf.Tensor }[]): Promise<void> {
  const entries: TensorEntry[] = [];
  const blobs: Uint8Array[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const { name, tensor } of tensors) {
    // A name stored twice would make the file unreadable (the header schema requires unique names).
    if (names.has(name)) throw new Error(`saveCheckpoint('${path}'): tensor '${name}' given twice`);
    names.add(name);
    const dtype = tensor.dtype;
    if (!Object.hasOwn(CHECKPOINT_DTYPES, dtype)) {
      throw new Error(`saveCheckpoint('${path}'): tensor '${name}' has unsupported dtype ${dtype}`);
    }
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name, dtype: dtype as TensorEntry['dtype'], shape: tensor.shape, offset, bytes: bytes.byteLength });
    blobs.push(bytes);
    offset += bytes.byteLength;
  }
  let crc = 0;
  for (const b of blobs) crc = crc32(b, crc);
  const header: CheckpointHeader<S> = { format: 'facelab-checkpoint', version: 2, state, tensors: entries, dataBytes: offset, crc32: crc };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(FORMATS.FLCKPT02.prefix);
  prefix.write('FLCKPT02', 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.byteLength, 8);
  prefix.writeUInt32LE(crc32(headerBytes), 12);
  await writeFileAtomic(path, [prefix, headerBytes, ...blobs]);
}

/** Parses and checks a checkpoint file's bytes: its header, and the data section's length and checksum. */
function parseCheckpoint<S>(buf: Buffer, path: string): { header: CheckpointHeader<S>; data: Buffer } {
  const bad = (why: string) => CheckpointError.corrupt(path, why);
  const magic = buf.toString('latin1', 0, Math.min(8, buf.byteLength));
  const format = Object.hasOwn(FORMATS, magic) ? FORMATS[magic as keyof typeof FORMATS] : undefined;
  if (format === undefined) {
    throw bad(buf.byteLength < 8 ? `truncated: ${buf.byteLength} bytes, shorter than the magic` : 'not a facelab checkpoint (bad magic)');
  }
  if (buf.byteLength < format.prefix) throw bad(`truncated: ${buf.byteLength} bytes, shorter than the ${format.prefix}-byte prefix`);
  const headerLen = buf.readUInt32LE(8);
  const start = format.prefix + headerLen;
  if (buf.byteLength < start) throw bad(`truncated: ${buf.byteLength} bytes, header alone needs ${start}`);
  const headerBytes = buf.subarray(format.prefix, start);
  if (format.version === 2 && crc32(headerBytes) !== buf.readUInt32LE(12)) throw bad('checksum mismatch in the header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(headerBytes.toString('utf8'));
  } catch (err) {
    throw bad(`unreadable header: ${(err as Error).message}`);
  }
  const header = checkCheckpointHeader<S>(parsed, path, format.version);
  const expected = start + header.dataBytes;
  if (buf.byteLength !== expected) throw bad(`truncated or padded: ${buf.byteLength} bytes, expected ${expected}`);
  const data = buf.subarray(start);
  if (crc32(data) !== header.crc32) throw bad('checksum mismatch in the tensor data');
  return { header, data };
}

/**
 * Reads a checkpoint; a missing, truncated, corrupt or malformed file is a {@link CheckpointError} naming it and
 * what is wrong (the header is checked in full before any tensor is built, so an error leaves no tensor behind).
 */
export async function loadCheckpoint<S>(path: string): Promise<LoadedCheckpoint<S>> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CheckpointError(path, `cannot read checkpoint '${path}': ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  const { header, data } = parseCheckpoint<S>(buf, path);
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const e of header.tensors) {
      const bytes = data.slice(e.offset, e.offset + e.bytes); // a copy, aligned for the typed array
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const values =
        e.dtype === 'float32' ? new Float32Array(ab) : e.dtype === 'int32' ? new Int32Array(ab) : new Uint8Array(ab);
      tensors.set(e.name, tf.tensor(values, e.shape, e.dtype));
    }
  } catch (err) {
    tf.dispose([...tensors.values()]);
    throw err;
  }
  return { state: header.state, tensors };
}

/**
 * Deletes the temp files that interrupted atomic writes left in `dir` (a process killed mid-write cannot
 * remove its own); returns their paths. Call it only while no other process writes into `dir`.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const stale = names.filter((n) => ATOMIC_TEMP_PATTERN.test(n)).map((n) => join(dir, n));
  for (const path of stale) await rm(path, { force: true });
  return stale;
}
