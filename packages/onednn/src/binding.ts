/** The addon's functions (native/onednn.cc) and the layout of the geometry its convolutions and pooling take. */

/**
 * Convolution geometry as the addon reads it, 17 int32 values in this order: N, H, W, Cin, KH, KW, Cout, OH, OW,
 * strideH, strideW, dilationH, dilationW (1 = dense), padTop, padLeft, padBottom, padRight. Tensors are NHWC,
 * filters HWIO ([KH, KW, Cin, Cout]), as in TensorFlow.js.
 */
export const GEOMETRY_FIELDS = [
  'n', 'h', 'w', 'cin', 'kh', 'kw', 'cout', 'oh', 'ow', 'strideH', 'strideW', 'dilationH', 'dilationW', 'padTop', 'padLeft', 'padBottom', 'padRight',
] as const;

/** One convolution's geometry, by field name. */
export type ConvGeometry = Record<(typeof GEOMETRY_FIELDS)[number], number>;

/** Packs a geometry in the addon's order. */
export function packGeometry(g: ConvGeometry): Int32Array {
  return Int32Array.from(GEOMETRY_FIELDS, (field) => g[field]);
}

/** Fused activations of {@link OneDnnBinding.convForward}, by the code the addon takes. */
export const ACTIVATIONS = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 } as const;

/** A fused activation {@link OneDnnBinding.convForward} runs. */
export type Activation = keyof typeof ACTIVATIONS;

/** What the addon reports about itself. */
export interface OneDnnInfo {
  /** oneDNN's version, e.g. '2.6.3'. */
  version: string;
  /** OpenMP threads its primitives use. */
  threads: number;
  /** Convolution problems whose primitives are cached. */
  cachedProblems: number;
  /** Primitive calls that completed so far in this process. */
  calls: number;
}

/**
 * The native functions. Every array is written or read in place (no copies); sizes must match the geometry,
 * else the call throws naming the argument.
 */
export interface OneDnnBinding {
  /** y = act(conv(x, filter) + bias): x [N,H,W,Cin], filter [KH,KW,Cin,Cout], bias [Cout] or null, y [N,OH,OW,Cout]. */
  convForward(geometry: Int32Array, x: Float32Array, filter: Float32Array, bias: Float32Array | null, y: Float32Array, activation: number, alpha: number): void;
  /** dx [N,H,W,Cin] of a convolution from dy [N,OH,OW,Cout] and the filter. */
  convBackwardData(geometry: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  /** dFilter [KH,KW,Cin,Cout] of a convolution from x and dy. */
  convBackwardFilter(geometry: Int32Array, x: Float32Array, dy: Float32Array, dFilter: Float32Array): void;
  /**
   * Training-mode batch norm over the last axis of x viewed as [rows, channels]: mean and variance (divided by
   * rows) of each channel, y = gamma · (x − mean) / √(variance + epsilon) + beta.
   */
  batchNormForward(rows: number, channels: number, epsilon: number, x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array): void;
  /** dx, dgamma, dbeta of {@link OneDnnBinding.batchNormForward} through y (mean and variance taken as constants of the loss). */
  batchNormBackward(
    rows: number, channels: number, epsilon: number, dy: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array,
    dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
  ): void;
  /**
   * c = a × b per batch: dims = [batchA, batchB, M, K, N, transposeA, transposeB] (Int32Array); a is [batchA, M, K]
   * ([batchA, K, M] when transposed), b [batchB, K, N] ([batchB, N, K]), c [max batch, M, N]; a batch of 1 broadcasts.
   */
  matMul(dims: Int32Array, a: Float32Array, b: Float32Array, c: Float32Array): void;
  /** dx and dalpha of PReLU with one slope per channel (x viewed as [rows, channels]): dx = dy for x > 0, alpha · dy elsewhere. */
  preluBackward(rows: number, channels: number, x: Float32Array, alpha: Float32Array, dy: Float32Array, dx: Float32Array, dalpha: Float32Array): void;
  /** dx of max pooling (the geometry's kernel is the window, Cout = Cin): each dy goes to its window's maximum. */
  maxPoolBackward(geometry: Int32Array, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** OpenMP threads of the following calls. */
  setThreads(threads: number): void;
  /** Version, threads and cache size. */
  info(): OneDnnInfo;
}
