/**
 * Quirk: tfjs-core defines the chained ops (`x.reshape(…)`, `x.add(y)`, …) in side-effect modules
 * (dist/public/chained_ops/*.js) that Node cannot import (ESM with extension-less paths in a CommonJS
 * package); only the `@tensorflow/tfjs` umbrella's bundle registers them. facelab installs tfjs-core without
 * the umbrella, so this registers them on tf.Tensor the way those modules do, and tf-namespace.ts takes their
 * types from the modules' declarations. Written for @tensorflow/tfjs-core 4.22.0 (the pin test compares
 * CHAINED_OPS with the modules). Remove when tfjs-core's Node build registers its chained ops (then drop
 * this file and the types reference).
 */
import * as tfc from '@tensorflow/tfjs-core';

/** The tfjs-core version whose chained-op modules this mirrors. */
export const CHAINED_OPS_PIN = { name: '@tensorflow/tfjs-core', version: '4.22.0' } as const;

type Op = (...args: unknown[]) => tfc.Tensor;
type Method = (this: tfc.Tensor, ...args: never[]) => unknown;

/** Chained ops that call the op of the same name with the tensor as first argument. */
const SAME_NAME = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'avgPool', 'batchNorm', 'batchToSpaceND', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d',
  'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d', 'dilation2d', 'div',
  'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor',
  'floorDiv', 'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu',
  'less', 'lessEqual', 'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min',
  'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow',
  'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse', 'rfft', 'round', 'rsqrt', 'selu',
  'separableConv2d', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split',
  'sqrt', 'square', 'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile',
  'topk', 'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

/** Chained ops that are tf.image ops. */
const IMAGE = ['resizeBilinear', 'resizeNearestNeighbor'] as const;

/** The remaining chained ops, as tfjs-core 4.22.0 defines them. */
const OTHERS: Record<string, Method> = {
  as1D() { return tfc.reshape(this, [this.size]); },
  as2D(rows: number, columns: number) { return tfc.reshape(this, [rows, columns]); },
  as3D(rows: number, columns: number, depth: number) { return tfc.reshape(this, [rows, columns, depth]); },
  as4D(rows: number, columns: number, depth: number, depth2: number) { return tfc.reshape(this, [rows, columns, depth, depth2]); },
  as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number) {
    return tfc.reshape(this, [rows, columns, depth, depth2, depth3]);
  },
  asScalar() {
    tfc.util.assert(this.size === 1, () => 'The array must have only 1 element.');
    return tfc.reshape(this, []);
  },
  asType(dtype: tfc.DataType) { return tfc.cast(this, dtype); },
  concat(x: tfc.Tensor | tfc.Tensor[], axis?: number) { return tfc.concat([this, ...(x instanceof tfc.Tensor ? [x] : x)], axis); },
  flatten() { return tfc.reshape(this, [this.size]); },
  reshapeAs(x: tfc.Tensor) { return tfc.reshape(this, x.shape); },
  stack(x: tfc.Tensor | tfc.Tensor[], axis?: number) { return tfc.stack(x instanceof tfc.Tensor ? [this, x] : [this, ...x], axis); },
  toBool() { return tfc.cast(this, 'bool'); },
  toFloat() { return tfc.cast(this, 'float32'); },
  toInt() { return tfc.cast(this, 'int32'); },
  where(condition: tfc.Tensor, x: tfc.Tensor) { return tfc.where(condition, this, x); },
};

/** Every chained op name registered here (the pin test compares it with tfjs-core's modules). */
export const CHAINED_OPS: readonly string[] = [...SAME_NAME, ...IMAGE, ...Object.keys(OTHERS)];

const ops = tfc as unknown as Record<string, Op>;
const imageOps = tfc.image as unknown as Record<string, Op>;
const methods: [string, Method][] = [
  ...SAME_NAME.map((name): [string, Method] => [name, function (this: tfc.Tensor, ...args: unknown[]) { return ops[name]!(this, ...args); }]),
  ...IMAGE.map((name): [string, Method] => [name, function (this: tfc.Tensor, ...args: unknown[]) { return imageOps[name]!(this, ...args); }]),
  ...Object.entries(OTHERS),
];
const proto = tfc.Tensor.prototype as unknown as Record<string, Method>;
for (const [name, method] of methods) {
  proto[name] = function (this: tfc.Tensor, ...args: never[]) {
    this.throwIfDisposed();
    return method.apply(this, args);
  };
}
