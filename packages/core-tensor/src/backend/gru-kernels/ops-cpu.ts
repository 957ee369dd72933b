/** {@link GruBackendOps} on tfjs's cpu backend: buffers are its data entries, products its BatchMatMul kernel. */
import { tf } from '../../tf.js';
import type { GruBackendOps } from './recurrence.js';

/** The parts of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackend extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
}

/** Backend operations for the GRU recurrence on the cpu backend `backend`. */
export function cpuGruOps(backend: tf.KernelBackend): GruBackendOps {
  const cpu = backend as CpuBackend;
  const matMul = tf.getKernel('BatchMatMul', 'cpu');
  if (matMul === undefined) throw new Error("cpu kernel 'BatchMatMul' is not registered");
  return {
    alloc: (shape) => cpu.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
    view: (info) => cpu.data.get(info.dataId).values as Float32Array,
    product: (a, b, transposeA = false) =>
      matMul.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA, transposeB: false } }) as tf.TensorInfo,
    productInto(a, b, out) {
      const y = this.product(a, b);
      this.view(out).set(this.view(y));
      this.free(y);
    },
    free: (...infos) => {
      for (const info of infos) cpu.disposeData(info.dataId);
    },
  };
}
