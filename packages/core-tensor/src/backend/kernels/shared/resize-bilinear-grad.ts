/**
 * ResizeBilinearGrad written once over a backend's float32 buffers, for cpu and wasm: the adjoint of
 * tfjs's ResizeBilinear kernel, visiting the same source rows/columns with the same weights as the forward
 * loop (align-corners, half-pixel-centres and legacy modes alike) and adding dy into them. tfjs-backend-cpu
 * 4.22's kernel returns [B, W, H, C] (wrong on non-square images) and both shipped kernels ignore
 * halfPixelCenters.
 */
import type { tf } from '../../../tf.js';
import type { Float32Buffers } from '../../compat/cpu-backend.js';

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };

/** Per output row (or column): the two source indices and the weight of the second. */
function sourceTaps(outSize: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const aligned = alignCorners && outSize > 1;
  const scale = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = halfPixelCenters ? scale * (o + 0.5) - 0.5 : scale * o;
    lo[o] = Math.max(0, Math.floor(src));
    hi[o] = Math.min(inSize - 1, Math.ceil(src));
    frac[o] = src - lo[o]!;
  }
  return { lo, hi, frac };
}

/** dx[b, lo/hi row, lo/hi col, c] += bilinear weight · dy[b, r, col, c]. */
export function resizeBilinearGradLoop(
  dy: Float32Array,
  dyShape: readonly number[],
  dx: Float32Array,
  xShape: readonly number[],
  alignCorners: boolean,
  halfPixelCenters: boolean,
): void {
  const [batch, inH, inW, ch] = xShape as [number, number, number, number];
  const [, outH, outW] = dyShape as [number, number, number, number];
  const rows = sourceTaps(outH, inH, alignCorners, halfPixelCenters);
  const cols = sourceTaps(outW, inW, alignCorners, halfPixelCenters);
  dx.fill(0);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * ch;
    for (let r = 0; r < outH; r++) {
      const top = base + rows.lo[r]! * inW * ch;
      const bot = base + rows.hi[r]! * inW * ch;
      const rf = rows.frac[r]!;
      for (let c = 0; c < outW; c++) {
        const left = cols.lo[c]! * ch;
        const right = cols.hi[c]! * ch;
        const cf = cols.frac[c]!;
        const wTL = (1 - rf) * (1 - cf);
        const wTR = (1 - rf) * cf;
        const wBL = rf * (1 - cf);
        const wBR = rf * cf;
        for (let d = 0; d < ch; d++) {
          const g = dy[k++]!;
          dx[top + left + d] += g * wTL;
          dx[top + right + d] += g * wTR;
          dx[bot + left + d] += g * wBL;
          dx[bot + right + d] += g * wBR;
        }
      }
    }
  }
}

/** ResizeBilinearGrad's kernel function on the backend whose buffers `buffersFor` gives. */
export function resizeBilinearGradKernelFunc(buffersFor: (b: tf.KernelBackend) => Float32Buffers): tf.KernelFunc {
  const f = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const { images, dy } = inputs as Record<'images' | 'dy', tf.TensorInfo>;
    if (dy.dtype !== 'float32') throw new Error(`resizeBilinearGrad: dy must be float32, got ${dy.dtype}`);
    const buffers = buffersFor(backend);
    const out = buffers.alloc(images.shape);
    resizeBilinearGradLoop(buffers.view(dy), dy.shape, buffers.view(out), images.shape, Boolean(attrs.alignCorners), Boolean(attrs.halfPixelCenters));
    return out;
  };
  return f as unknown as tf.KernelFunc;
}
