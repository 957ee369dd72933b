/** tfjs conv geometry as @facelab/onednn's packed geometry. */
import { tf } from '../../../tf.js';
import { oneDnnPackage } from './onednn-kernel.js';

/** The addon's geometry of a tfjs Conv2DInfo (NHWC input, HWIO filter). */
export function oneDnnGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  const p = info.padInfo;
  return oneDnnPackage().packGeometry({
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    cin: info.inChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    cout: info.outChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: p.top,
    padLeft: p.left,
    padBottom: p.bottom,
    padRight: p.right,
  });
}
