/**
 * Float64 matrix products on onnxruntime-node for code that does its linear algebra in Float64Arrays (no
 * tfjs tensors): one cached ONNX Gemm graph per shape and transpose pair, run on ORT's threaded MLAS dgemm.
 */
import { OnnxGraph } from './graph.js';
import { loadOnnxRuntime, runGraph } from './session.js';

/** Options of {@link nativeGemmF64}: which operands are stored transposed. */
export interface NativeGemmF64Options {
  /** `a` holds Aᵀ (k×m, row-major) instead of A (m×k). */
  transA?: boolean;
  /** `b` holds Bᵀ (n×k, row-major) instead of B (k×n). */
  transB?: boolean;
  /**
   * ORT threads for this product (default: `env.ortThreads`, else every core). One thread avoids waiting
   * for a descheduled worker when other processes load the cores, which costs more than small products gain.
   */
  threads?: number;
  /** Where to write C (m×n values); without it a new array is returned. */
  out?: Float64Array;
}

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

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`nativeGemmF64: ${name} must be a positive integer, got ${v}`);
}

/**
 * C = op(A)·op(B) in float64 on onnxruntime-node, row-major: C is m×n, op(A) m×k, op(B) k×n, where op
 * transposes the operands flagged in `options`. Returns C (`options.out` if given, else a new array), or
 * undefined when onnxruntime-node cannot be loaded (callers keep their own kernel as the fallback). One ORT
 * call costs tens of microseconds, so small products are faster in plain JS.
 */
export function nativeGemmF64(a: Float64Array, b: Float64Array, m: number, k: number, n: number, options: NativeGemmF64Options = {}): Float64Array | undefined {
  checkDim('m', m);
  checkDim('k', k);
  checkDim('n', n);
  if (!(a instanceof Float64Array) || a.length !== m * k) throw new Error(`nativeGemmF64: a must be a Float64Array of ${m}×${k} = ${m * k} values, got ${a instanceof Float64Array ? a.length : typeof a}`);
  if (!(b instanceof Float64Array) || b.length !== k * n) throw new Error(`nativeGemmF64: b must be a Float64Array of ${k}×${n} = ${k * n} values, got ${b instanceof Float64Array ? b.length : typeof b}`);
  if (options.threads !== undefined) checkDim('threads', options.threads);
  const out = options.out;
  if (out !== undefined && (!(out instanceof Float64Array) || out.length !== m * n)) throw new Error(`nativeGemmF64: out must be a Float64Array of ${m}×${n} = ${m * n} values`);
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
