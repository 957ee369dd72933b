/**
 * Quirk: FusedBatchNorm subclasses tfjs-layers' BatchNormalization, which tf.layers exports only as a factory
 * (the class comes from the serialization registry, serialization-registry.ts), and reads its fields (axis,
 * momentum, epsilon and the weights), private in its typings. Written for @tensorflow/tfjs-layers 4.22.0.
 * Remove when tfjs-layers exports the class with those fields public, or when FusedBatchNorm owns its
 * weights and options (then drop this file).
 */
import type { tf } from '../../tf.js';
import { registeredClass } from './serialization-registry.js';

/** The tfjs-layers version this quirk was written for. */
export const BATCH_NORMALIZATION_PIN = { name: '@tensorflow/tfjs-layers', version: '4.22.0' } as const;

/** The fields of tfjs-layers' BatchNormalization used by FusedBatchNorm. */
export interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tf.LayerVariable;
  beta?: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/** tfjs-layers' BatchNormalization class. */
export function batchNormalizationClass(): typeof tf.layers.Layer {
  const entry = registeredClass('BatchNormalization');
  if (entry === undefined) throw new Error('FusedBatchNorm: tfjs-layers has not registered BatchNormalization');
  return entry[0] as unknown as typeof tf.layers.Layer;
}

/** The private fields of `layer`, a BatchNormalization (or subclass) instance. */
export function batchNormalizationFields(layer: tf.layers.Layer): BatchNormalizationFields {
  return layer as unknown as BatchNormalizationFields;
}
