/**
 * Helpers for substitute kernels: run another wasm kernel by name on TensorInfos and free intermediates.
 * Kernels run inside other kernels get no engine bookkeeping, so every intermediate must be released here.
 */
import { tf } from '../../../tf.js';
import type { WasmBackend } from '../../compat/wasm-backend.js';

export type { WasmBackend };

type TensorInfo = tf.TensorInfo;

/**
 * Runs the kernel registered under `name` for the active backend, 'wasm' or 'onnxruntime' (which shares the
 * wasm backend instance): a substitute, or on 'onnxruntime' the ORT kernel, where one is registered.
 */
export function runWasm(
  backend: WasmBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const config = tf.getKernel(name, tf.getBackend());
  if (config === undefined) throw new Error(`${tf.getBackend()} kernel '${name}' is not registered`);
  return config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Releases intermediate results (reshapes share data by reference count, so this is always safe). */
export function release(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Transposes by `perm`. */
export function transpose(backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return runWasm(backend, 'Transpose', { x }, { perm });
}

/** Reshapes (shares data, adds a reference). */
export function reshape(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasm(backend, 'Reshape', { x }, { shape });
}

/**
 * Pads (positive amounts) and crops (negative amounts) the spatial axes 1 and 2 of an NHWC tensor:
 * `amounts` is [[top, bottom], [left, right]].
 */
export function padOrCrop(backend: WasmBackend, x: TensorInfo, amounts: [[number, number], [number, number]]): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [[t, b], [l, r]] = amounts;
  let y = x;
  let owned = false;
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const begin = [0, Math.max(0, -t), Math.max(0, -l), 0];
    const size = [n, h - begin[1]! - Math.max(0, -b), w - begin[2]! - Math.max(0, -r), c];
    y = runWasm(backend, 'Slice', { x: y }, { begin, size });
    owned = true;
  }
  if (t > 0 || b > 0 || l > 0 || r > 0) {
    const paddings = [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]];
    const padded = runWasm(backend, 'PadV2', { x: y }, { paddings, constantValue: 0 });
    if (owned) release(backend, y);
    y = padded;
    owned = true;
  }
  return owned ? y : reshape(backend, x, x.shape);
}

/**
 * Inserts `sh - 1` zero rows and `sw - 1` zero columns after every row and column of an NHWC tensor
 * (the trailing zeros are kept: the result is [N, H·sh, W·sw, C]).
 */
export function zeroUpsample(backend: WasmBackend, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return reshape(backend, x, x.shape);
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const x6 = reshape(backend, x, [n, h, 1, w, 1, c]);
  const paddings = [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]];
  const padded = runWasm(backend, 'PadV2', { x: x6 }, { paddings, constantValue: 0 });
  release(backend, x6);
  const out = reshape(backend, padded, [n, h * sh, w * sw, c]);
  release(backend, padded);
  return out;
}

/** What a substitute kernel receives. */
export interface WasmKernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
}

/** Wraps a substitute as a wasm kernel config. */
export function wasmKernel(kernelName: string, f: (args: WasmKernelArgs) => TensorInfo | TensorInfo[]): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: f as unknown as tf.KernelFunc };
}
