/**
 * The fused batch-norm kernel functions (FacelabBatchNormTrain and its gradient), written once over a
 * backend's float32 buffers so the cpu and wasm kernels share them: two passes each over x as plain loops
 * (batch-norm-loops.ts). tfjs-layers' BatchNormalization instead runs tf.moments + tf.batchNorm forward and
 * ~25 kernels backward, each a full pass over x.
 */
import type { tf } from '../../../tf.js';
import type { Float32Buffers } from '../../compat/cpu-backend.js';
import { batchNormTrainGradLoop, batchNormTrainLoop } from './batch-norm-loops.js';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };

/**
 * Allocates the outputs, then takes every view (on wasm an allocation may grow the heap and detach views
 * taken before) and runs `f` on them.
 */
function withViews(
  buffers: Float32Buffers,
  inputs: TensorInfo[],
  outShapes: number[][],
  f: (ins: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] {
  const outs = outShapes.map((s) => buffers.alloc(s));
  f(inputs.map(buffers.view), outs.map(buffers.view));
  return outs;
}

/** FacelabBatchNormTrain's kernel function on the backend whose buffers `buffersFor` gives. */
export function batchNormTrainKernelFunc(buffersFor: (b: tf.KernelBackend) => Float32Buffers): tf.KernelFunc {
  const f = ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', TensorInfo>;
    const c = gamma.shape;
    return withViews(buffersFor(backend), [x, gamma, beta], [x.shape, c, c], ([xs, g, b], [y, mean, variance]) =>
      batchNormTrainLoop(xs!, g!, b!, attrs.epsilon as number, y!, mean!, variance!),
    );
  };
  return f as unknown as tf.KernelFunc;
}

/** FacelabBatchNormTrainGrad's kernel function on the backend whose buffers `buffersFor` gives. */
export function batchNormTrainGradKernelFunc(buffersFor: (b: tf.KernelBackend) => Float32Buffers): tf.KernelFunc {
  const f = ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { dy, x, gamma, mean, variance, dmean, dvariance } = inputs as Record<string, TensorInfo>;
    const c = gamma!.shape;
    return withViews(
      buffersFor(backend),
      [dy!, x!, gamma!, mean!, variance!, dmean!, dvariance!],
      [x!.shape, c, c],
      ([dys, xs, g, mu, v, dmu, dv], [dx, dg, db]) =>
        batchNormTrainGradLoop(dys!, xs!, g!, mu!, v!, dmu!, dv!, attrs.epsilon as number, dx!, dg!, db!),
    );
  };
  return f as unknown as tf.KernelFunc;
}
