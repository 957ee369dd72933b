/** {@link GruBackendOps} on tfjs's cpu backend: buffers are its data entries, products its BatchMatMul kernel. */
import { tf } from '../../../tf.js';
import { cpuBuffers } from '../../compat/cpu-backend.js';
import type { GruBackendOps } from '../shared/gru-recurrence.js';

/** Backend operations for the GRU recurrence on the cpu backend `backend`. */
export function cpuGruOps(backend: tf.KernelBackend): GruBackendOps {
  const matMul = tf.getKernel('BatchMatMul', 'cpu');
  if (matMul === undefined) throw new Error("cpu kernel 'BatchMatMul' is not registered");
  return {
    ...cpuBuffers(backend),
    product: (a, b, transposeA = false) =>
      matMul.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA, transposeB: false } }) as tf.TensorInfo,
    productInto(a, b, out) {
      const y = this.product(a, b);
      this.view(out).set(this.view(y));
      this.free(y);
    },
    free: (...infos) => {
      for (const info of infos) backend.disposeData(info.dataId);
    },
  };
}
