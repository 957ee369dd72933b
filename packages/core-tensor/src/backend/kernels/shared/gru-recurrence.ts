/**
 * The GRU recurrence (tfjs GRUCell: gates z, r, h in that order, sigmoid gates, tanh candidate, reset gate
 * applied before the recurrent product) and its gradient, written once over a small set of backend operations
 * so the cpu and wasm kernels share it. Per step only the two small [B, H]-row products run on the backend;
 * the gate arithmetic is plain loops over Float32Array views.
 *
 * Forward, per step t with h₋ = h[t-1] (zero at t = 0) and xw = x·kernel + bias split into (xz, xr, xh):
 *   z = σ(xz + h₋·Uz), r = σ(xr + h₋·Ur), c = tanh(xh + (r∘h₋)·Uh), h = z∘h₋ + (1 − z)∘c.
 */
import type { tf } from '../../../tf.js';

type TensorInfo = tf.TensorInfo;

/**
 * What the recurrence needs from a backend. On wasm a view is a window on the heap, which an allocation
 * (alloc or product) can grow and so detach: views are re-taken after every such call.
 */
export interface GruBackendOps {
  /** A new float32 buffer of `shape`, contents unspecified. */
  alloc(shape: number[]): TensorInfo;
  /** A writable view of a buffer's values. */
  view(info: TensorInfo): Float32Array;
  /** The 2-D product a·b (or aᵀ·b) as a new buffer. */
  product(a: TensorInfo, b: TensorInfo, transposeA?: boolean): TensorInfo;
  /** The 2-D product a·b written into `out`: the per-step products, with no allocation in the time loop. */
  productInto(a: TensorInfo, b: TensorInfo, out: TensorInfo): void;
  /** Releases buffers this code allocated. */
  free(...infos: TensorInfo[]): void;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Column blocks [from, to) of every row of a [rows, cols] matrix, as a new [rows, to − from] buffer. */
function columns(ops: GruBackendOps, m: TensorInfo, from: number, to: number, transpose = false): TensorInfo {
  const [rows, cols] = m.shape as [number, number];
  const w = to - from;
  const out = ops.alloc(transpose ? [w, rows] : [rows, w]);
  const src = ops.view(m);
  const dst = ops.view(out);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < w; j++) dst[transpose ? j * rows + i : i * w + j] = src[i * cols + from + j]!;
  }
  return out;
}

function dims(xw: TensorInfo): { b: number; t: number; h: number } {
  const [b, t, h3] = xw.shape as [number, number, number];
  return { b, t, h: h3 / 3 };
}

/** Forward recurrence: xw [B, T, 3H], recurrentKernel [H, 3H] → h [B, T, H]. */
export function gruForward(ops: GruBackendOps, xw: TensorInfo, u: TensorInfo): TensorInfo {
  const { b: nb, t: nt, h: nh } = dims(xw);
  const uzr = columns(ops, u, 0, 2 * nh);
  const uh = columns(ops, u, 2 * nh, 3 * nh);
  const hPrev = ops.alloc([nb, nh]);
  const rh = ops.alloc([nb, nh]);
  const out = ops.alloc([nb, nt, nh]);
  const p = ops.alloc([nb, 2 * nh]);
  const q = ops.alloc([nb, nh]);
  ops.view(hPrev).fill(0);
  const z = new Float32Array(nb * nh);
  for (let t = 0; t < nt; t++) {
    ops.productInto(hPrev, uzr, p); // [B, 2H]: h₋·[Uz Ur]
    {
      const [pv, x, hp, rv] = [ops.view(p), ops.view(xw), ops.view(hPrev), ops.view(rh)];
      for (let b = 0; b < nb; b++) {
        const xo = (b * nt + t) * 3 * nh;
        for (let j = 0; j < nh; j++) {
          const k = b * nh + j;
          z[k] = sigmoid(x[xo + j]! + pv[b * 2 * nh + j]!);
          rv[k] = sigmoid(x[xo + nh + j]! + pv[b * 2 * nh + nh + j]!) * hp[k]!;
        }
      }
    }
    ops.productInto(rh, uh, q); // [B, H]: (r∘h₋)·Uh
    {
      const [qv, x, hp, o] = [ops.view(q), ops.view(xw), ops.view(hPrev), ops.view(out)];
      for (let b = 0; b < nb; b++) {
        const xo = (b * nt + t) * 3 * nh + 2 * nh;
        const oo = (b * nt + t) * nh;
        for (let j = 0; j < nh; j++) {
          const k = b * nh + j;
          const c = Math.tanh(x[xo + j]! + qv[k]!);
          const h = z[k]! * hp[k]! + (1 - z[k]!) * c;
          hp[k] = h;
          o[oo + j] = h;
        }
      }
    }
  }
  ops.free(uzr, uh, hPrev, rh, p, q);
  return out;
}

/**
 * Gradient of {@link gruForward}: dh [B, T, H] (the loss gradient of every output step), its outputs h,
 * xw and recurrentKernel → [dxw [B, T, 3H], dU [H, 3H]]. The gates are recomputed from h for all steps at
 * once (h₋ is h shifted by one step, so both gate products are single large products); only the carried
 * state gradient runs step by step, backwards.
 */
export function gruBackward(
  ops: GruBackendOps,
  dh: TensorInfo,
  hs: TensorInfo,
  xw: TensorInfo,
  u: TensorInfo,
): [TensorInfo, TensorInfo] {
  const { b: nb, t: nt, h: nh } = dims(xw);
  const n = nb * nt * nh;
  const uzr = columns(ops, u, 0, 2 * nh);
  const uh = columns(ops, u, 2 * nh, 3 * nh);
  const uzrT = columns(ops, u, 0, 2 * nh, true);
  const uhT = columns(ops, u, 2 * nh, 3 * nh, true);

  // h₋ for every step, as [B·T, H] rows.
  const hPrev = ops.alloc([nb * nt, nh]);
  {
    const [hv, pv] = [ops.view(hs), ops.view(hPrev)];
    for (let b = 0; b < nb; b++) {
      pv.fill(0, b * nt * nh, (b * nt + 1) * nh);
      pv.set(hv.subarray(b * nt * nh, ((b + 1) * nt - 1) * nh), (b * nt + 1) * nh);
    }
  }
  const z = new Float32Array(n);
  const r = new Float32Array(n);
  const c = new Float32Array(n);
  const p = ops.product(hPrev, uzr);
  const rhAll = ops.alloc([nb * nt, nh]);
  {
    const [pv, x, hp, rv] = [ops.view(p), ops.view(xw), ops.view(hPrev), ops.view(rhAll)];
    for (let row = 0; row < nb * nt; row++) {
      for (let j = 0; j < nh; j++) {
        const k = row * nh + j;
        z[k] = sigmoid(x[row * 3 * nh + j]! + pv[row * 2 * nh + j]!);
        r[k] = sigmoid(x[row * 3 * nh + nh + j]! + pv[row * 2 * nh + nh + j]!);
        rv[k] = r[k]! * hp[k]!;
      }
    }
  }
  ops.free(p);
  const q = ops.product(rhAll, uh);
  {
    const [qv, x] = [ops.view(q), ops.view(xw)];
    for (let row = 0; row < nb * nt; row++) {
      for (let j = 0; j < nh; j++) c[row * nh + j] = Math.tanh(x[row * 3 * nh + 2 * nh + j]! + qv[row * nh + j]!);
    }
  }
  ops.free(q);

  const dxw = ops.alloc([nb, nt, 3 * nh]);
  const dzr = ops.alloc([nb * nt, 2 * nh]); // gate pre-activation gradients, for dU's z and r columns
  const dc = ops.alloc([nb * nt, nh]); // candidate pre-activation gradients, for dU's h columns
  const lhsC = ops.alloc([nb, nh]);
  const lhsZr = ops.alloc([nb, 2 * nh]);
  const drh = ops.alloc([nb, nh]); // ∂loss/∂(r∘h₋)
  const dp = ops.alloc([nb, nh]); // ∂loss/∂h₋ through the gates' recurrent products
  const carry = new Float32Array(nb * nh); // ∂loss/∂h₋ flowing into step t − 1
  const g = new Float32Array(nb * nh);
  for (let t = nt - 1; t >= 0; t--) {
    {
      const [dhv, hp, lc, lzr] = [ops.view(dh), ops.view(hPrev), ops.view(lhsC), ops.view(lhsZr)];
      for (let b = 0; b < nb; b++) {
        for (let j = 0; j < nh; j++) {
          const k = b * nh + j;
          const i = (b * nt + t) * nh + j;
          const gk = dhv[i]! + carry[k]!;
          g[k] = gk;
          const zi = z[i]!;
          const ci = c[i]!;
          lc[k] = gk * (1 - zi) * (1 - ci * ci);
          lzr[b * 2 * nh + j] = gk * (hp[i]! - ci) * zi * (1 - zi);
        }
      }
    }
    ops.productInto(lhsC, uhT, drh);
    {
      const [dv, hp, lc, lzr, dx, dzrv, dcv] = [
        ops.view(drh),
        ops.view(hPrev),
        ops.view(lhsC),
        ops.view(lhsZr),
        ops.view(dxw),
        ops.view(dzr),
        ops.view(dc),
      ];
      for (let b = 0; b < nb; b++) {
        const row = b * nt + t;
        for (let j = 0; j < nh; j++) {
          const k = b * nh + j;
          const i = row * nh + j;
          const ri = r[i]!;
          const dar = dv[k]! * hp[i]! * ri * (1 - ri); // through r = σ(ar)
          lzr[b * 2 * nh + nh + j] = dar;
          carry[k] = g[k]! * z[i]! + dv[k]! * ri;
          const dz = lzr[b * 2 * nh + j]!;
          dx[row * 3 * nh + j] = dz;
          dx[row * 3 * nh + nh + j] = dar;
          dx[row * 3 * nh + 2 * nh + j] = lc[k]!;
          dzrv[row * 2 * nh + j] = dz;
          dzrv[row * 2 * nh + nh + j] = dar;
          dcv[i] = lc[k]!;
        }
      }
    }
    ops.productInto(lhsZr, uzrT, dp);
    const dpv = ops.view(dp);
    for (let k = 0; k < nb * nh; k++) carry[k] += dpv[k]!;
  }

  const duZr = ops.product(hPrev, dzr, true); // [H, 2H]
  const duH = ops.product(rhAll, dc, true); // [H, H]
  const du = ops.alloc([nh, 3 * nh]);
  {
    const [a, bv, d] = [ops.view(duZr), ops.view(duH), ops.view(du)];
    for (let i = 0; i < nh; i++) {
      d.set(a.subarray(i * 2 * nh, (i + 1) * 2 * nh), i * 3 * nh);
      d.set(bv.subarray(i * nh, (i + 1) * nh), i * 3 * nh + 2 * nh);
    }
  }
  ops.free(uzr, uh, uzrT, uhT, hPrev, rhAll, dzr, dc, lhsC, lhsZr, drh, dp, duZr, duH);
  return [dxw, du];
}
