/** Inference: only the regression pathway (enc + decoder) runs at test time (Sec. 3.1). */
import { tf } from '@facelab/core-tensor';
import { runPathway, type RocGan } from '../model/rocgan.js';

/** Options of {@link predictRocGan}. */
export interface PredictOptions {
  /** Use the EMA copy of enc + dec (default true, as the reference evaluates). */
  ema?: boolean;
}

/** Restores corrupted images x ([N, S, S, C] in [−1, 1]) into images in [−1, 1]; inference mode, no tensors left. */
export function predictRocGan(net: RocGan, x: tf.Tensor4D, options: PredictOptions = {}): tf.Tensor4D {
  const { imageSize: s, imageChannels: c } = net.architecture;
  if (x.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== c) {
    throw new Error(`predictRocGan: x must be [N, ${s}, ${s}, ${c}], got [${x.shape}]`);
  }
  const [enc, dec] = options.ema === false ? [net.enc, net.dec] : [net.ema.enc, net.ema.dec];
  return tf.tidy(() => runPathway(enc, dec, x, { training: false }).image);
}
