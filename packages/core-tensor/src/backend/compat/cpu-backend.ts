/**
 * Quirk: a kernel of ours reads and allocates tfjs-backend-cpu buffers through MathBackendCPU's `data`
 * storage and `makeTensorInfo`, which tfjs's own cpu kernels use but which are not documented API.
 * Written for @tensorflow/tfjs-backend-cpu 4.22.0. Remove when tfjs offers a public way for custom kernels to
 * allocate and view a backend's buffers (then use it here and drop this file).
 */
import { tf } from '../../tf.js';

/** The tfjs-backend-cpu version this quirk was written for. */
export const CPU_BACKEND_PIN = { name: '@tensorflow/tfjs-backend-cpu', version: '4.22.0' } as const;

/** The parts of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackend extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
}

/** Allocating and viewing float32 buffers on one backend. */
export interface Float32Buffers {
  /** A new zero-filled (cpu) or uninitialised (wasm) float32 buffer of `shape`. */
  alloc(shape: number[]): tf.TensorInfo;
  /** A writable view of a buffer's values. */
  view(info: tf.TensorInfo): Float32Array;
}

/** Float32 buffers on the cpu backend `backend`. */
export function cpuBuffers(backend: tf.KernelBackend): Float32Buffers {
  const cpu = backend as CpuBackend;
  return {
    alloc: (shape) => cpu.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
    view: (info) => cpu.data.get(info.dataId).values as Float32Array,
  };
}
