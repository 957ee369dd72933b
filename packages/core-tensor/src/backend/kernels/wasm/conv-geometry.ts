/** Convolution geometry shared by the backprop substitutes. */
import { tf } from '../../../tf.js';

/** Attributes every conv backprop kernel carries. */
export interface ConvBackpropAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

/** Rejects layouts the substitutes do not handle, naming the kernel. */
export function assertNhwc(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm: dataFormat '${dataFormat}' is not supported (NHWC only)`);
  }
}

/** tfjs's conv geometry (padding, output size) for an NHWC input and an HWIO filter. */
export function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: ConvBackpropAttrs,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}
