/**
 * MaxPoolGrad for wasm, replacing the shipped kernel. In 4.22.0 both the shipped MaxPoolGrad and
 * MaxPoolWithArgmax C kernels route gradients to wrong positions on non-square inputs (relative error 0.4–1
 * against cpu and against a hand reference; square inputs come out right), so no wasm composite exists:
 * this walks each window over the wasm heap in JS, sending dy to the first maximum as tfjs-cpu does.
 */
import { tf } from '../../../tf.js';
import { wasmKernel, type WasmKernelArgs } from './wasm-ops.js';

function maxPoolGrad({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views after makeOutput: allocating may grow (and detach) the heap.
  const xs = backend.typedArrayFromHeap(input);
  const dys = backend.typedArrayFromHeap(dy);
  const dxs = backend.typedArrayFromHeap(dx);
  dxs.fill(0);
  // Channels innermost (NHWC order), with the running maximum of every channel kept in small arrays:
  // walking each channel's window separately strides through memory and was ~10× slower.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = Math.max(0, r * sh - padInfo.top);
      const r1 = Math.min(h, r * sh - padInfo.top + kh);
      for (let q = 0; q < ow; q++) {
        const q0 = Math.max(0, q * sw - padInfo.left);
        const q1 = Math.min(w, q * sw - padInfo.left + kw);
        const dyBase = ((b * oh + r) * ow + q) * c;
        if (r0 >= r1 || q0 >= q1) continue; // a window entirely in the padding has no input to credit
        at.fill(-1);
        for (let i = r0; i < r1; i++) {
          for (let j = q0; j < q1; j++) {
            const base = ((b * h + i) * w + j) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = xs[base + ch]!;
              // Strictly greater keeps the first maximum in window order, as tfjs-cpu does.
              if (at[ch]! < 0 || v > best[ch]!) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) dxs[at[ch]!]! += dys[dyBase + ch]!;
      }
    }
  }
  return dx;
}

/** Kernel config: MaxPoolGrad on wasm (overrides the shipped kernel). */
export const maxPoolGradConfig = wasmKernel('MaxPoolGrad', maxPoolGrad);
