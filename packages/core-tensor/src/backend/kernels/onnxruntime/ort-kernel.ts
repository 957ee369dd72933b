/**
 * Kernels of the 'onnxruntime' backend (the wasm backend's instance) that run their arithmetic on onnxruntime-node: inputs are read in place from
 * the wasm heap and the cached graph writes its result straight into a new wasm tensor. Inputs that are not
 * float32, layouts other than NHWC and problems too small to repay an ORT call go to the wasm kernel the
 * ORT kernel replaced.
 */
import { tf } from '../../../tf.js';
import type { WasmBackend } from '../../compat/wasm-backend.js';
import type { OnnxGraph } from '@facelab/runtime';
import { env, runGraph, type OnnxValue } from '@facelab/runtime';

/** What an ORT kernel receives. */
export interface OrtKernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
}

/** A window of a wasm tensor's data fed to ORT without a copy: `shape`'s worth of values from `offset`. */
export interface HeapWindow {
  of: tf.TensorInfo;
  offset: number;
  shape: number[];
}

/** A graph to run for a kernel call: its cache key, builder, and the kernel inputs it reads, in order. */
export interface OrtPlan {
  key: string;
  build: () => OnnxGraph;
  feeds: Record<string, tf.TensorInfo | HeapWindow>;
  outShape: number[];
  /** Shapes of further graph outputs 'y1', 'y2', …: the kernel then returns [y, y1, y2, …]. */
  moreOutShapes?: number[][];
  /** Wasm tensors the plan made for its feeds, released after the run. */
  temporaries?: tf.TensorInfo[];
}

/**
 * Wraps `plan` as an 'onnxruntime' kernel config: `plan` returns undefined (or the call has fewer FLOPs than
 * `env.ortMinFlops`, read per call) to hand the call to `fallback`, the wasm kernel it replaces.
 */
export function ortKernel(
  kernelName: string,
  fallback: tf.KernelConfig,
  plan: (args: OrtKernelArgs) => { flops: number; plan: () => OrtPlan } | undefined,
): tf.KernelConfig {
  const kernelFunc = (args: OrtKernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const p = Object.values(args.inputs).every((t) => t === undefined || t.dtype === 'float32') ? plan(args) : undefined;
    if (p === undefined || p.flops < env.ortMinFlops) return fallback.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const { key, build, feeds, outShape, moreOutShapes = [], temporaries = [] } = p.plan();
    // Allocate first: allocating may grow the wasm heap and detach views taken before.
    const out = args.backend.makeOutput(outShape, 'float32');
    const more = moreOutShapes.map((shape) => args.backend.makeOutput(shape, 'float32'));
    const heap = (info: tf.TensorInfo) => args.backend.typedArrayFromHeap(info) as Float32Array;
    // A threaded wasm heap is a SharedArrayBuffer, which onnxruntime-node refuses: it gets copies then.
    const shared = heap(out).buffer instanceof SharedArrayBuffer;
    const view = (info: tf.TensorInfo) => (shared ? heap(info).slice() : heap(info));
    const values: Record<string, OnnxValue> = {};
    for (const [name, feed] of Object.entries(feeds)) {
      values[name] =
        'of' in feed
          ? { data: view(feed.of).subarray(feed.offset, feed.offset + sizeOf(feed.shape)), shape: feed.shape }
          : { data: view(feed), shape: feed.shape };
    }
    const into: Record<string, OnnxValue> = { y: { data: view(out), shape: outShape } };
    more.forEach((t, i) => (into[`y${i + 1}`] = { data: view(t), shape: t.shape }));
    runGraph(`${kernelName}|${key}`, build, values, Object.keys(into), into);
    if (shared) [out, ...more].forEach((t, i) => heap(t).set(into[i === 0 ? 'y' : `y${i}`]!.data));
    for (const t of temporaries) args.backend.disposeData(t.dataId);
    return more.length === 0 ? out : [out, ...more];
  };
  return { kernelName, backendName: 'onnxruntime', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** tfjs fused activations {@link activate} maps to ONNX. */
export const ORT_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu']);

/** tfjs's fused activations as ONNX ops on `value` (elementwise, so the layout does not matter except PReLU's). */
export function activate(g: OnnxGraph, value: string, activation: string, alpha: number, prelu?: string): string {
  switch (activation) {
    case 'linear':
      return value;
    case 'relu':
      return g.node('Relu', [value]);
    case 'relu6':
      return g.node('Clip', [value, g.float32s([0], []), g.float32s([6], [])]);
    case 'elu':
      return g.node('Elu', [value]);
    case 'sigmoid':
      return g.node('Sigmoid', [value]);
    case 'leakyrelu':
      return g.node('LeakyRelu', [value], { alpha: { float: alpha } });
    case 'prelu':
      if (prelu === undefined) throw new Error("fused activation 'prelu' needs preluActivationWeights");
      return g.node('PRelu', [value, prelu]);
    default:
      throw new Error(`fused activation '${activation}' is not supported on onnxruntime`); // ORT_ACTIVATIONS guards
  }
}

/** Product of a shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
