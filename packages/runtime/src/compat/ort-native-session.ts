/**
 * Quirk: tfjs kernels must return synchronously, but onnxruntime-node's public `InferenceSession.run` is a
 * Promise; its native session, reached through `onnxruntime-node/dist/binding` (not public API), runs
 * synchronously. Written for onnxruntime-node 1.30.0 (ORT_NODE_PIN); another version is refused rather than
 * guessed at. Remove when onnxruntime-node offers a synchronous run in its public API (then use it in
 * onnx/session.ts and drop this file).
 */
import { createRequire } from 'node:module';

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
