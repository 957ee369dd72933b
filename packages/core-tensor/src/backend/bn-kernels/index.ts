/**
 * Fused training-mode batch norm over the last axis: `FacelabBatchNormTrain` (x [..., C], gamma, beta → y,
 * batch mean, biased batch variance) and its gradient `FacelabBatchNormTrainGrad` (dy, x, gamma, mean,
 * variance, dmean, dvariance → dx, dgamma, dbeta), two passes each over x as plain loops on cpu and wasm
 * (onnxruntime's versions live in ./ort.ts). tfjs-layers' BatchNormalization instead runs tf.moments +
 * tf.batchNorm forward and ~25 kernels backward, each a full pass over x. Registered on import, with the
 * gradient beside them, tfjs style.
 */
import { tf } from '../../tf.js';
import type { WasmBackend } from '../wasm-kernels/wasm-ops.js';
import { batchNormTrainGradLoop, batchNormTrainLoop } from './loops.js';

/** Kernel name of the fused forward pass. */
export const BATCH_NORM_TRAIN = 'FacelabBatchNormTrain';
/** Kernel name of its gradient. */
export const BATCH_NORM_TRAIN_GRAD = 'FacelabBatchNormTrainGrad';

type TensorInfo = tf.TensorInfo;

/** Allocating and viewing float32 buffers on one backend. */
interface Buffers {
  alloc(shape: number[]): TensorInfo;
  view(info: TensorInfo): Float32Array;
}

/** The parts of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackend extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): TensorInfo;
}

const BUFFERS: Record<string, (backend: tf.KernelBackend) => Buffers> = {
  cpu: (backend) => {
    const cpu = backend as CpuBackend;
    return {
      alloc: (shape) => cpu.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
      view: (info) => cpu.data.get(info.dataId).values as Float32Array,
    };
  },
  wasm: (backend) => {
    const wasm = backend as WasmBackend;
    return { alloc: (shape) => wasm.makeOutput(shape, 'float32'), view: (info) => wasm.typedArrayFromHeap(info) as Float32Array };
  },
};

/**
 * Allocates the outputs, then takes every view (on wasm an allocation may grow the heap and detach views
 * taken before) and runs `f` on them.
 */
function withViews(
  buffers: Buffers,
  inputs: TensorInfo[],
  outShapes: number[][],
  f: (ins: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] {
  const outs = outShapes.map((s) => buffers.alloc(s));
  f(inputs.map(buffers.view), outs.map(buffers.view));
  return outs;
}

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };

function forwardKernel(buffersFor: (b: tf.KernelBackend) => Buffers) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', TensorInfo>;
    const c = gamma.shape;
    return withViews(buffersFor(backend), [x, gamma, beta], [x.shape, c, c], ([xs, g, b], [y, mean, variance]) =>
      batchNormTrainLoop(xs!, g!, b!, attrs.epsilon as number, y!, mean!, variance!),
    );
  };
}

function gradKernel(buffersFor: (b: tf.KernelBackend) => Buffers) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
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
}

for (const [backendName, buffersFor] of Object.entries(BUFFERS)) {
  for (const [kernelName, f] of [
    [BATCH_NORM_TRAIN, forwardKernel(buffersFor)],
    [BATCH_NORM_TRAIN_GRAD, gradKernel(buffersFor)],
  ] as const) {
    if (tf.getKernel(kernelName, backendName) === undefined) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: f as unknown as tf.KernelFunc });
    }
  }
}

if (tf.getGradient(BATCH_NORM_TRAIN) === undefined) {
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      // The engine passes zeros for outputs the loss does not depend on (the layer's mean and variance).
      const [dy, dmean, dvariance] = dys as tf.Tensor[];
      const [x, gamma, mean, variance] = saved as tf.Tensor[];
      const inputs = { dy: dy!, x: x!, gamma: gamma!, mean: mean!, variance: variance!, dmean: dmean!, dvariance: dvariance! };
      const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs, attrs) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  });
}

/** Output of {@link batchNormTraining}: the normalised tensor and the batch statistics it used. */
export interface BatchNormTrainingResult {
  /** γ·(x − mean)/√(variance + ε) + β, shaped as x. */
  y: tf.Tensor;
  /** Per-channel batch mean [C]. */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance [C] (divided by the number of values per channel, as tf.moments). */
  variance: tf.Tensor1D;
}

/** The same computation as tf ops (tf.moments + tf.batchNorm): for backends without the fused kernels. */
function batchNormTrainingOps(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  return tf.tidy(() => {
    const c = gamma.shape[0];
    const x2 = tf.reshape(x, [-1, c]);
    const { mean, variance } = tf.moments(x2, [0]);
    const y = tf.reshape(tf.batchNorm(x2, mean, variance, beta, gamma, epsilon), x.shape);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * Training-mode batch norm of x [..., C] over every axis but the last, with tfjs-layers' semantics (biased
 * batch variance, ε inside the square root): one fused kernel forward and one backward on cpu, wasm and
 * onnxruntime, tf ops elsewhere. Differentiable in x, gamma and beta (and through mean and variance).
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const c = x.shape[x.rank - 1];
  if (x.rank < 2 || c === undefined || c === 0 || x.size === 0) {
    throw new Error(`batchNormTraining: x must have rank ≥ 2 and no empty axis, got shape [${x.shape}]`);
  }
  if (gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== c || beta.shape[0] !== c) {
    throw new Error(`batchNormTraining: x [${x.shape}] needs gamma and beta of shape [${c}], got [${gamma.shape}] and [${beta.shape}]`);
  }
  if (x.dtype !== 'float32' || gamma.dtype !== 'float32' || beta.dtype !== 'float32') {
    throw new Error(`batchNormTraining: x, gamma and beta must be float32, got ${x.dtype}, ${gamma.dtype}, ${beta.dtype}`);
  }
  if (!(epsilon > 0)) throw new Error(`batchNormTraining: epsilon must be positive, got ${epsilon}`);
  if (tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) === undefined) return batchNormTrainingOps(x, gamma, beta, epsilon);
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y: y!, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
