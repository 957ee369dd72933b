/**
 * Gradient of Conv2D for every dilation rate. tfjs-core's own gradient (registered at import) asserts
 * dilations of 1; for those this one runs the same two kernels (Conv2DBackpropInput / Conv2DBackpropFilter).
 * For a dilated convolution (stride 1, as tfjs requires when dilation > 1) both gradients are forward
 * convolutions, which every backend runs with dilation:
 * - dx[y] = Σ_k dy[y + top − k·d] · W[k]: dy padded by (K−1)·d − top / − bottom, convolved at dilation d
 *   with the filter flipped in space and with its in/out channels swapped;
 * - dW[k] = Σ_y x_pad[y + k·d] · dy[y]: the padded x with batch and channels swapped, convolved at stride d
 *   with dy as the filter (batch as its input channels), then channels moved back.
 */
import { tf } from '../../tf.js';

type Pads = [number, number];

/** Pads (positive) or crops (negative) axes 1 and 2 of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, rows: Pads, cols: Pads): tf.Tensor4D {
  const pad = (p: number) => Math.max(0, p);
  let y = tf.pad(x, [[0, 0], [pad(rows[0]), pad(rows[1])], [pad(cols[0]), pad(cols[1])], [0, 0]]);
  const crop = (p: number) => Math.max(0, -p);
  if (rows.some((p) => p < 0) || cols.some((p) => p < 0)) {
    const [, h, w] = y.shape;
    const begin = [0, crop(rows[0]), crop(cols[0]), 0];
    const size = [-1, h - crop(rows[0]) - crop(rows[1]), w - crop(cols[0]) - crop(cols[1]), -1];
    y = tf.slice(y, begin, size);
  }
  return y;
}

function dilatedGradients(x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor4D, attrs: tf.Conv2DAttrs): { x: () => tf.Tensor; filter: () => tf.Tensor } {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode);
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new Error(`gradient of conv2d: dilations ${String(attrs.dilations)} need strides 1, got ${String(attrs.strides)}`);
  }
  if (attrs.dataFormat === 'NCHW') throw new Error('gradient of conv2d: dilations > 1 need dataFormat NHWC');
  const { top, bottom, left, right } = info.padInfo;
  const d: [number, number] = [info.dilationHeight, info.dilationWidth];
  const ekh = info.effectiveFilterHeight;
  const ekw = info.effectiveFilterWidth;
  return {
    x: () => {
      const dyPadded = padOrCrop(dy, [ekh - 1 - top, ekh - 1 - bottom], [ekw - 1 - left, ekw - 1 - right]);
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      return tf.conv2d(dyPadded, flipped, 1, 'valid', 'NHWC', d);
    },
    filter: () => {
      const xPadded = padOrCrop(x, [top, bottom], [left, right]);
      const xT = tf.transpose(xPadded, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, Hp, Wp, N]
      const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [OH, OW, N, Cout]
      const taps = tf.conv2d(xT, dyT, d, 'valid'); // [Cin, KH, KW, Cout]
      return tf.transpose(taps, [1, 2, 0, 3]);
    },
  };
}

/**
 * The gradient config of Conv2D: tfjs-core's `shipped` one (which rejects dilations > 1) for undilated
 * convolutions, the forward-convolution gradients above for dilated ones.
 */
export function conv2DGradConfig(shipped: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as tf.Conv2DAttrs;
      const dilations = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
      if (dilations.every((v) => v === 1)) return shipped.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      return dilatedGradients(x, filter, dy as tf.Tensor4D, a);
    },
  };
}
