/**
 * nativeGemmF64 in a browser, where onnxruntime-node cannot exist: the arguments are checked as in Node, and the
 * result is always undefined, so callers run their own JS kernel (the fallback they keep for Node without ORT).
 */
import { checkGemmF64Args, type NativeGemmF64Options } from './gemm-f64-args.js';

/** Always false in a browser: there is no onnxruntime-node to compute float64 products. */
export function nativeGemmF64Available(): boolean {
  return false;
}

/** Checks the arguments as the Node build does, then returns undefined (no native engine in a browser). */
export function nativeGemmF64(a: Float64Array, b: Float64Array, m: number, k: number, n: number, options: NativeGemmF64Options = {}): Float64Array | undefined {
  checkGemmF64Args(a, b, m, k, n, options);
  return undefined;
}
