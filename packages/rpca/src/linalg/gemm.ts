/**
 * Dense Float64 products. Large ones go to onnxruntime-node's threaded dgemm through core-tensor's
 * `nativeGemmF64` (10–15× this package's kernel on 2 cores); small ones, and every product when onnxruntime-node
 * is not installed, run the JS kernel: everything as C = P·Qᵀ with P (p×K) and Q (q×K) row-major, so both
 * operands stream contiguously along the reduction axis; a 4×4 register tile gives ~4–5 GFLOP/s in V8
 * (ml-matrix's mmul is slower: bench/gemm.bench.mjs).
 */
import { env, nativeGemmF64 } from '@facelab/runtime';
import { type Dense, transpose } from './dense.js';

/**
 * FLOPs (2·m·n·K) from which a product goes to onnxruntime: one ORT call costs ~20–50 µs. Measured: at 64³
 * (0.5 MFLOP) both take ~0.1 ms, at 128³ (4 MFLOP) ORT is 9× faster.
 */
const NATIVE_MIN_FLOPS = 1e6;

/**
 * FLOPs from which a product uses `env.ortThreads` threads when that is set (FACELAB_ORT_THREADS); otherwise,
 * and below it, ORT runs on one thread: this package's default, where core-tensor's is every core. On 2 cores shared with other processes a multi-threaded ORT call can wait for a
 * descheduled worker, and a solve makes hundreds of calls: n = 2000 pcp took 4.5–70 s (median ≈ 14 s) with
 * two threads but 5–9 s with one (load average 3–7); on a quiet machine two threads gain only on the largest
 * products, so they are opt-in.
 */
const PARALLEL_MIN_FLOPS = 5e7;

/** ORT threads for a product of `flops`: one unless `env.ortThreads` is set and the product is large. */
function threadsFor(flops: number): number {
  const threads = env.ortThreads;
  return threads !== undefined && flops >= PARALLEL_MIN_FLOPS ? threads : 1;
}

/**
 * C = P·op(Q) (op = transpose if `transB`) on ORT into `out` when `env.rpcaGemm` and the size say so; false when the
 * caller's JS kernel must run.
 */
export function tryNative(P: Dense, Q: Dense, out: Dense, transB: boolean): boolean {
  const [m, K] = [P.rows, P.cols];
  const n = out.cols;
  const flops = 2 * m * n * K;
  const e = env.rpcaGemm;
  if (e === 'js' || (e === 'auto' && flops < NATIVE_MIN_FLOPS)) return false;
  const c = nativeGemmF64(P.data, Q.data, m, K, n, { transB, out: out.data, threads: threadsFor(flops) });
  if (c === undefined) return false;
  if (c !== out.data) out.data.set(c); // a core-tensor from before `out` returns a new array
  return true;
}

function checkOut(name: string, out: Dense, m: number, n: number): void {
  if (out.rows !== m || out.cols !== n || out.data.length !== m * n) throw new Error(`${name}: out is ${out.rows}×${out.cols} but the product is ${m}×${n}`);
}

/** C = P·Qᵀ written into `out` (P.rows × Q.rows); P.cols must equal Q.cols. */
export function gemmNT(P: Dense, Q: Dense, out: Dense): Dense {
  if (Q.cols !== P.cols) throw new Error(`gemmNT: inner dimensions differ (${P.cols} vs ${Q.cols})`);
  checkOut('gemmNT', out, P.rows, Q.rows);
  if (P.rows === 0 || Q.rows === 0 || P.cols === 0 || !tryNative(P, Q, out, true)) gemmNTJs(P, Q, out);
  return out;
}

/**
 * C = P·B written into `out` (P.rows × B.cols); P.cols must equal B.rows. The JS kernel needs Bᵀ: `bt` supplies
 * it (e.g. a transpose cached by the caller), so the native path never pays for the copy.
 */
export function gemmNN(P: Dense, B: Dense, out: Dense, bt: () => Dense = () => transpose(B)): Dense {
  if (B.rows !== P.cols) throw new Error(`gemmNN: inner dimensions differ (${P.cols} vs ${B.rows})`);
  checkOut('gemmNN', out, P.rows, B.cols);
  if (P.rows === 0 || B.cols === 0 || P.cols === 0 || !tryNative(P, B, out, false)) gemmNTJs(P, bt(), out);
  return out;
}

/** Reduction-axis block: 4 rows of P × 512 doubles (16 KB) stay in L1 while Q's panel streams from L2. */
const KB = 512;

/** The JS kernel: C = P·Qᵀ into `out`. */
function gemmNTJs(P: Dense, Q: Dense, out: Dense): void {
  const K = P.cols;
  if (K === 0) {
    out.data.fill(0);
    return;
  }
  const p = P.data;
  const q = Q.data;
  const c = out.data;
  const m = P.rows;
  const n = Q.rows;
  for (let k0 = 0; k0 < K; k0 += KB) tile4x4(p, q, c, m, n, K, k0, Math.min(K, k0 + KB));
  // Ragged edges (the last rows or columns that do not fill a 4×4 tile): plain dot products.
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      const pi = i * K;
      const qj = j * K;
      let s = 0;
      for (let t = 0; t < K; t++) s += p[pi + t]! * q[qj + t]!;
      c[i * n + j] = s;
    }
  }
}

/** The 4×4-tiled part of C (+)= P[:, k0:k1]·Q[:, k0:k1]ᵀ; the first block overwrites, later ones accumulate. */
function tile4x4(p: Float64Array, q: Float64Array, c: Float64Array, m: number, n: number, K: number, k0: number, k1: number): void {
  const acc = k0 > 0;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const p0 = i * K, p1 = p0 + K, p2 = p1 + K, p3 = p2 + K;
    for (let j = 0; j < n4; j += 4) {
      const q0 = j * K, q1 = q0 + K, q2 = q1 + K, q3 = q2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = k0; t < k1; t++) {
        const a0 = p[p0 + t]!, a1 = p[p1 + t]!, a2 = p[p2 + t]!, a3 = p[p3 + t]!;
        const b0 = q[q0 + t]!, b1 = q[q1 + t]!, b2 = q[q2 + t]!, b3 = q[q3 + t]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let o = i * n + j;
      if (acc) {
        c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03; o += n;
        c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13; o += n;
        c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23; o += n;
        c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
      } else {
        c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
        c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
        c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
        c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
      }
    }
  }
}
