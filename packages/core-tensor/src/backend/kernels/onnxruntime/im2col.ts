/**
 * Convolution as one matrix product over the whole batch (NHWC throughout): the padded input's KH·KW taps
 * (strided slices) are concatenated on the channel axis, [N, OH, OW, KH·KW·Cin], and multiplied by the HWIO
 * filter read as a [KH·KW·Cin, Cout] matrix. ORT's Conv does its im2col per image with OH·OW columns, which
 * starves the GEMM on the small late-stage maps (4×4×512: 33 ms against 5 ms here); on large maps the copies
 * cost more than its direct NCHWc kernel saves, hence `im2colLimits`.
 */
import type { OnnxGraph } from '@facelab/runtime';

/**
 * Output maps up to `maxPixels` (OH·OW) convolve by im2col + MatMul; larger ones by ORT's Conv. Measured on
 * the 2-core dev machine (the crossover is near 28×28); mutable so tests can send small shapes down either path.
 */
export const im2colLimits = { maxPixels: 1024 };

/** Geometry of a convolution on an NHWC input already padded to [N, HP, WP, Cin]. */
export interface Im2colGeometry {
  n: number;
  cin: number;
  kh: number;
  kw: number;
  strides: [number, number];
  dilations: [number, number];
  outHeight: number;
  outWidth: number;
}

/** Whether a convolution should go through im2col (1×1 kernels always do). */
export const preferIm2col = (g: Im2colGeometry): boolean =>
  (g.kh === 1 && g.kw === 1) ||
  g.outHeight * g.outWidth <= im2colLimits.maxPixels;

/**
 * Adds xPadded ⊛ filter to `g` as im2col + MatMul and returns the [N, OH, OW, Cout] result; `filter` is a graph
 * value holding an HWIO filter [KH, KW, Cin, Cout].
 */
export function im2colConv(g: OnnxGraph, xPadded: string, filter: string, cout: number, geo: Im2colGeometry): string {
  const { n, cin, kh, kw, outHeight: oh, outWidth: ow } = geo;
  const b = g.node('Reshape', [filter, g.int64s([kh * kw * cin, cout])]);
  return g.node('Reshape', [g.node('MatMul', [im2colMatrix(g, xPadded, geo), b]), g.int64s([n, oh, ow, cout])]);
}

/** What each filter tap reads of an NHWC input already padded: KH·KW strided slices [N, OH, OW, Cin], HWIO order. */
export function tapSlices(g: OnnxGraph, xPadded: string, geo: Im2colGeometry): string[] {
  const { kh, kw, strides: [sh, sw], dilations: [dh, dw], outHeight: oh, outWidth: ow } = geo;
  const taps: string[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const [r0, c0] = [i * dh, j * dw];
      taps.push(g.node('Slice', [xPadded, g.int64s([r0, c0]), g.int64s([r0 + (oh - 1) * sh + 1, c0 + (ow - 1) * sw + 1]), g.int64s([1, 2]), g.int64s([sh, sw])]));
    }
  }
  return taps;
}

/** The im2col matrix [N·OH·OW, KH·KW·Cin] of an NHWC input already padded, taps in HWIO order. */
function im2colMatrix(g: OnnxGraph, xPadded: string, geo: Im2colGeometry): string {
  const { n, cin, kh, kw, outHeight: oh, outWidth: ow } = geo;
  const taps = tapSlices(g, xPadded, geo);
  const cols = taps.length === 1 ? taps[0]! : g.node('Concat', taps, { axis: 3 });
  return g.node('Reshape', [cols, g.int64s([n * oh * ow, kh * kw * cin])]);
}

/** Zero-pads the spatial axes of an NHWC graph value by [top, bottom, left, right] (no node when all zero). */
export function padNhwc(g: OnnxGraph, x: string, [top, bottom, left, right]: number[]): string {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return g.node('Pad', [x, g.int64s([0, top, left, 0, 0, bottom, right, 0])]);
}
