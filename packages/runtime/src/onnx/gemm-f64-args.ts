/** The arguments of nativeGemmF64 (Node and browser builds), checked alike in both. */

/** Options of nativeGemmF64: which operands are stored transposed. */
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

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`nativeGemmF64: ${name} must be a positive integer, got ${v}`);
}

/** Throws, naming the argument, when the operands, sizes or options of nativeGemmF64 do not fit together. */
export function checkGemmF64Args(a: Float64Array, b: Float64Array, m: number, k: number, n: number, options: NativeGemmF64Options): void {
  checkDim('m', m);
  checkDim('k', k);
  checkDim('n', n);
  if (!(a instanceof Float64Array) || a.length !== m * k) throw new Error(`nativeGemmF64: a must be a Float64Array of ${m}×${k} = ${m * k} values, got ${a instanceof Float64Array ? a.length : typeof a}`);
  if (!(b instanceof Float64Array) || b.length !== k * n) throw new Error(`nativeGemmF64: b must be a Float64Array of ${k}×${n} = ${k * n} values, got ${b instanceof Float64Array ? b.length : typeof b}`);
  if (options.threads !== undefined) checkDim('threads', options.threads);
  const out = options.out;
  if (out !== undefined && (!(out instanceof Float64Array) || out.length !== m * n)) throw new Error(`nativeGemmF64: out must be a Float64Array of ${m}×${n} = ${m * n} values`);
}
