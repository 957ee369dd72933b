/**
 * Gradient of Prelu: tfjs-core's (greater, where, mul, zerosLike, sum: five to seven kernels over the whole
 * tensor), or one FacelabPreluGrad kernel where the active backend registers one and alpha holds one slope per
 * channel (IR-ResNet's PReLUs, shared over H and W). In an IR-ResNet-50 micro-step of 4 images tfjs's ops took
 * ~190 ms of ~1,300 on the onednn backend.
 */
import { tf } from '../../tf.js';
import { FacelabPreluGrad } from '../kernel_names.js';

/** alpha has one value per channel of x (channels last), whatever its rank. */
const perChannel = (x: tf.Tensor, alpha: tf.Tensor) => x.rank >= 2 && alpha.size === x.shape[x.rank - 1];

/** Prelu's gradient config: the fused kernel where it runs, else the shipped gradient. */
export function preluGradConfig(shipped: tf.GradConfig): tf.GradConfig {
  return {
    ...shipped,
    gradFunc: (dy, saved, attrs) => {
      const [x, alpha] = saved as tf.Tensor[];
      if (tf.getKernel(FacelabPreluGrad, tf.getBackend()) === undefined || !perChannel(x!, alpha!)) return shipped.gradFunc(dy, saved, attrs);
      const [dx, dalpha] = tf.engine().runKernel(FacelabPreluGrad, { dy: dy as tf.Tensor, x: x!, alpha: alpha! }) as tf.Tensor[];
      return { x: () => dx!, alpha: () => dalpha! };
    },
  };
}
