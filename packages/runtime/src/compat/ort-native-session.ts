/**
 * Quirk: tfjs kernels must return synchronously, but onnxruntime-node's public `InferenceSession.run` is a
 * Promise; its native session, reached through `onnxruntime-node/dist/binding` (not public API), runs
 * synchronously. Written for onnxruntime-node 1.30.0 (ORT_NODE_PIN); another version is refused rather than
 * guessed at. Remove when onnxruntime-node offers a synchronous run in its public API (then use it in
 * onnx/session.ts and drop this file).
 *
 * Second quirk of the same pin, {@link releaseOutputCopy}: the native run() returns every output as a copy in
 * a new ArrayBuffer, even an output it wrote into an array the caller passed in `fetches`.
 */
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/** The onnxruntime-node version this quirk was written for. */
export const ORT_NODE_PIN = { name: 'onnxruntime-node', version: '1.30.0' } as const;

/** An onnxruntime-node tensor: dims and a view of its data. */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array | Float64Array;
}
/** onnxruntime-node's public Tensor constructor, for the dtypes used here. */
export type OrtTensorCtor = new (type: 'float32' | 'float64', data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;

/** The native (binding) InferenceSession: load from bytes, run synchronously. */
export interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>, options: object): Record<string, OrtTensor>;
  dispose(): void;
}

/** What onnx/session.ts needs of onnxruntime-node. */
export interface OrtNative {
  Tensor: OrtTensorCtor;
  Session: new () => NativeSession;
}

/** Requires onnxruntime-node and initialises its native binding; throws when it is missing or not the pinned version. */
export function requireOrtNative(): OrtNative {
  const require = createRequire(import.meta.url);
  const version = (require(`${ORT_NODE_PIN.name}/package.json`) as { version: string }).version;
  if (version !== ORT_NODE_PIN.version) throw new Error(`onnxruntime-node ${version} is installed; facelab needs ${ORT_NODE_PIN.version}`);
  const { Tensor } = require('onnxruntime-node') as { Tensor: OrtTensorCtor };
  const { binding, initOrt } = require('onnxruntime-node/dist/binding') as {
    binding: { InferenceSession: new () => NativeSession };
    initOrt: () => void;
  };
  initOrt();
  return { Tensor, Session: binding.InferenceSession };
}

let closedPort: MessagePort | undefined;

/** Frees `buffer` now: transferred through a closed MessagePort, it is detached and the message dropped. */
function freeNow(buffer: ArrayBuffer): void {
  if (closedPort === undefined) {
    closedPort = new MessageChannel().port1;
    closedPort.close();
  }
  closedPort.postMessage(undefined, [buffer]);
}

/** Just under glibc's DEFAULT_MMAP_THRESHOLD_MAX (32 MiB on 64-bit): a block this size is still mmapped. */
const MMAP_THRESHOLD_CEILING_BLOCK = 32 * 2 ** 20 - 8192;
let mallocThresholdsRaised = false;

/**
 * Part of the {@link releaseOutputCopy} mitigation, once per process on Linux: raises glibc malloc's dynamic
 * mmap threshold to its ceiling (32 MiB) and with it the trim threshold (twice that), so that output copies
 * up to 32 MiB come from the heap and freeing them does not hand the memory back to the kernel until more
 * than 64 MiB lie free at the top of the heap. mallopt(3): when a block allocated by mmap is freed, glibc
 * raises M_MMAP_THRESHOLD to that block's size and M_TRIM_THRESHOLD to twice it (unless either was set
 * explicitly, e.g. by GLIBC_TUNABLES, which then wins). So this mmaps a block just under the ceiling and frees
 * it at once; calloc'd by mmap it is never touched (no page is faulted in). Without it the thresholds follow
 * the first freed copy (12.8 MB: trimming above 25.7 MB free), and the heap's top was still handed back and
 * faulted in again on most steps (docs/notes/2026-12-05-onnx-export.md). Elsewhere than glibc: a 32 MiB
 * allocation freed at once, nothing else.
 */
export function raiseMallocTrimThreshold(): void {
  if (mallocThresholdsRaised || process.platform !== 'linux') return;
  mallocThresholdsRaised = true;
  freeNow(new ArrayBuffer(MMAP_THRESHOLD_CEILING_BLOCK));
}

/**
 * Frees an output copy the native run() returned for an output written into the caller's array `given`.
 *
 * onnxruntime-node 1.30.0's binding (js/node/src/tensor_helper.cc, OrtValueToNapiValue) turns every output of
 * a run into a new Tensor over a new ArrayBuffer (napi_create_arraybuffer: a calloc, then a memcpy of the
 * output), also when that output was pre-allocated by the caller and ORT already wrote it there. Left to V8's
 * garbage collector, these output-sized copies are freed in batches, glibc returns the freed memory to the
 * kernel, and later copies land in fresh pages: on a VM where first touch costs ~12 µs per 4 KiB page, a 12.8 MB
 * output then costs 35–50 ms more (the "bimodal" ORT calls, docs/notes/2026-12-05-onnx-export.md). There is no
 * path in this binding that skips the copy, so it is freed at once here: transferring an ArrayBuffer through a
 * closed MessagePort detaches it and drops the message, and with it the last reference to the backing store,
 * so malloc gets the memory back before the next run allocates the same size again — resident memory, as long
 * as malloc keeps it rather than trimming it ({@link raiseMallocTrimThreshold}).
 *
 * The caller's own buffer (the same ArrayBuffer, as a fixed binding would return) and SharedArrayBuffers are
 * left alone. Remove when the binding returns the given tensor for a pre-allocated output.
 */
export function releaseOutputCopy(given: ArrayBufferView, returned: OrtTensor | undefined): void {
  const copy = returned?.data.buffer;
  if (!(copy instanceof ArrayBuffer) || copy === given.buffer || copy.byteLength === 0) return;
  freeNow(copy);
}
