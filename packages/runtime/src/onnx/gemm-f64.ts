/**
 * Float64 matrix products on onnxruntime-node for code that does its linear algebra in Float64Arrays (no
 * tfjs tensors): one cached ONNX Gemm graph per shape and transpose pair, run on ORT's threaded MLAS dgemm.
 */
import { OnnxGraph } from './graph.js';
import { loadOnnxRuntime, runGraph } from './session.js';
import { checkGemmF64Args, type NativeGemmF64Options } from './gemm-f64-args.js';

export type { NativeGemmF64Options };

let available: boolean | undefined;

/** Whether onnxruntime-node loads here, i.e. whether {@link nativeGemmF64} computes rather than returning undefined. */
export function nativeGemmF64Available(): boolean {
  if (available === undefined) {
    try {
      loadOnnxRuntime();
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * C = op(A)·op(B) in float64 on onnxruntime-node, row-major: C is m×n, op(A) m×k, op(B) k×n, where op
 * transposes the operands flagged in `options`. Returns C (`options.out` if given, else a new array), or
 * undefined when onnxruntime-node cannot be loaded (callers keep their own kernel as the fallback). One ORT
 * call costs tens of microseconds, so small products are faster in plain JS.
 */
export function nativeGemmF64(a: Float64Array, b: Float64Array, m: number, k: number, n: number, options: NativeGemmF64Options = {}): Float64Array | undefined {
  checkGemmF64Args(a, b, m, k, n, options);
  const out = options.out;
  if (!nativeGemmF64Available()) return undefined;
  const transA = options.transA === true;
  const transB = options.transB === true;
  const aShape = transA ? [k, m] : [m, k];
  const bShape = transB ? [n, k] : [k, n];
  const build = (): OnnxGraph => {
    const g = new OnnxGraph();
    const y = g.node('Gemm', [g.input('a', aShape, 'float64'), g.input('b', bShape, 'float64')], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
    g.output(y, 'y', [m, n], 'float64');
    return g;
  };
  const feeds = { a: { data: a, shape: aShape }, b: { data: b, shape: bShape } };
  const into = out && { y: { data: out, shape: [m, n] } };
  const [y] = runGraph(`gemm-f64|${m}|${k}|${n}|${+transA}${+transB}`, build, feeds, ['y'], into, options.threads);
  return y!.data as Float64Array;
}
