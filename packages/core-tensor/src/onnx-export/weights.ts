/** Reading a tfjs layer's weights and config for export. */
import type { tf } from '../tf.js';

/** A weight's values (a copy) and shape. */
export interface WeightData {
  data: Float32Array;
  shape: number[];
}

/** The weight of `layer` whose name ends in `/<suffix>` (`kernel`, `bias`, `gamma`, ...), or undefined. */
export function findWeight(layer: tf.layers.Layer, suffix: string): WeightData | undefined {
  const w = layer.weights.find((v) => v.originalName === suffix || v.originalName.endsWith(`/${suffix}`));
  if (w === undefined) return undefined;
  return { data: w.read().dataSync() as Float32Array, shape: [...w.shape] as number[] };
}

/** As {@link findWeight}, throwing when the layer has no such weight. */
export function weight(layer: tf.layers.Layer, suffix: string): WeightData {
  const w = findWeight(layer, suffix);
  if (w === undefined) throw new Error(`ONNX export: layer '${layer.name}' (${layer.getClassName()}) has no weight '${suffix}'`);
  return w;
}

/** Transposes a dense row-major array of `shape` by `perm` (numpy's `transpose`). */
export function transposeData(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += strides[a]!;
      if (idx[a]! < outShape[a]!) break;
      src -= strides[a]! * outShape[a]!;
      idx[a] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** The layer's config as a plain record. */
export function config(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}
