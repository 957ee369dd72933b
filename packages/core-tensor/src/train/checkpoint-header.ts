/**
 * The checkpoint header's schema: what a checkpoint file's JSON header must hold before any tensor is built
 * from it, checked field by field so a damaged or hand-edited header is an error naming the file and the field.
 */

/** The dtypes a checkpoint stores, with their bytes per element. */
export const CHECKPOINT_DTYPES = { float32: 4, int32: 4, bool: 1 } as const;

/** A dtype a checkpoint stores. */
export type CheckpointDtype = keyof typeof CHECKPOINT_DTYPES;

/** One stored tensor: where its bytes are in the data section. */
export interface TensorEntry {
  name: string;
  dtype: CheckpointDtype;
  shape: number[];
  offset: number;
  bytes: number;
}

/** The JSON header of a checkpoint file (format version 1 or 2; they differ only in the file prefix). */
export interface CheckpointHeader<S> {
  format: 'facelab-checkpoint';
  version: 1 | 2;
  state: S;
  tensors: TensorEntry[];
  dataBytes: number;
  crc32: number;
}

/** A checkpoint file that cannot be used: missing, truncated, corrupt or malformed. `path` names it. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }

  /** The error for a file that was read but is damaged: `corrupt checkpoint '<path>': <why>`. */
  static corrupt(path: string, why: string): CheckpointError {
    return new CheckpointError(path, `corrupt checkpoint '${path}': ${why}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function describeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function checkEntry(e: unknown, i: number, dataBytes: number, seen: Set<string>): string | undefined {
  if (!isObject(e)) return `tensors[${i}] is ${describeValue(e)}, not an object`;
  const { name, dtype, shape, offset, bytes } = e;
  if (typeof name !== 'string' || name === '') return `tensors[${i}].name is ${describeValue(name)}, not a non-empty string`;
  const at = `tensor '${name}' (tensors[${i}])`;
  if (seen.has(name)) return `${at} is stored twice`;
  seen.add(name);
  if (typeof dtype !== 'string' || !Object.hasOwn(CHECKPOINT_DTYPES, dtype)) {
    return `${at} has dtype ${describeValue(dtype)}, expected one of ${Object.keys(CHECKPOINT_DTYPES).join(', ')}`;
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) return `${at} has shape ${describeValue(shape)}, not a list of non-negative integers`;
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  if (!Number.isSafeInteger(size)) return `${at} has shape [${shape}] with too many elements`;
  if (!isCount(offset)) return `${at} has offset ${describeValue(offset)}, not a non-negative integer`;
  if (!isCount(bytes)) return `${at} has byte length ${describeValue(bytes)}, not a non-negative integer`;
  const expected = size * CHECKPOINT_DTYPES[dtype as CheckpointDtype];
  if (bytes !== expected) return `${at} has ${bytes} bytes, but shape [${shape}] of ${dtype} needs ${expected}`;
  if (offset + bytes > dataBytes) return `${at} spans bytes ${offset}–${offset + bytes}, past the ${dataBytes}-byte data section`;
  return undefined;
}

/**
 * Checks a parsed header against the schema; returns it typed, or throws a {@link CheckpointError} naming
 * `path` and the first field that is wrong. `version` is the one the file's magic announces.
 */
export function checkCheckpointHeader<S>(header: unknown, path: string, version: 1 | 2): CheckpointHeader<S> {
  const bad = (why: string) => CheckpointError.corrupt(path, `malformed header: ${why}`);
  if (!isObject(header)) throw bad(`${describeValue(header)} is not a JSON object`);
  if (header.format !== 'facelab-checkpoint') throw bad(`format is ${describeValue(header.format)}, expected "facelab-checkpoint"`);
  if (header.version !== version) throw bad(`version is ${describeValue(header.version)}, the file's magic says ${version}`);
  if (!('state' in header)) throw bad('no state');
  const { dataBytes, crc32, tensors } = header;
  if (!isCount(dataBytes)) throw bad(`dataBytes is ${describeValue(dataBytes)}, not a non-negative integer`);
  if (!Number.isInteger(crc32) || (crc32 as number) < 0 || (crc32 as number) > 0xffffffff) {
    throw bad(`crc32 is ${describeValue(crc32)}, not a 32-bit unsigned integer`);
  }
  if (!Array.isArray(tensors)) throw bad(`tensors is ${describeValue(tensors)}, not a list`);
  const seen = new Set<string>();
  for (const [i, e] of tensors.entries()) {
    const why = checkEntry(e, i, dataBytes, seen);
    if (why !== undefined) throw bad(why);
  }
  return header as unknown as CheckpointHeader<S>;
}
