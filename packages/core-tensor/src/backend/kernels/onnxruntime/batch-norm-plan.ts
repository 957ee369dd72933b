/**
 * What the fused batch-norm kernels on onnxruntime (FacelabBatchNormTrain.ts, FacelabBatchNormTrainGrad.ts)
 * share. They build one cached graph per shape and ε for each direction; ORT runs the elementwise ops and the
 * reductions over the leading axes on every core; x keeps its [..., C] shape and per-channel [C] values
 * broadcast against it.
 *
 * Opt-in (`env.ortBatchNorm`, FACELAB_ORT_BATCH_NORM=1, read per call): in a ResNet-18 training step
 * (batch 16, 112²) they made the whole step slower than the wasm loop kernels: 1.13–1.45 s (single steps)
 * against 0.84–1.13 s. Run on one ORT thread, the BN kernels themselves took 100–140 ms per step against the
 * loops' 170–210 ms, yet the step's median of 5 was 1015–1075 ms against 832–886 ms (3 runs each): the
 * convolutions around them slowed down. Otherwise these kernels hand every call to the loop kernels.
 */
import type { tf } from '../../../tf.js';
import type { OnnxGraph } from '@facelab/runtime';
import { sizeOf } from './ort-kernel.js';

/** Axes but the last, and 1/M for M values per channel. */
export function geometry(x: tf.TensorInfo): { axes: number[]; invM: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  return { axes: x.shape.slice(0, -1).map((_, i) => i), invM: c / sizeOf(x.shape), c };
}

/** 1/√(variance + ε) as a node. */
export const invStd = (g: OnnxGraph, variance: string, epsilon: number) =>
  g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [variance, g.float32s([epsilon], [])])])]);
