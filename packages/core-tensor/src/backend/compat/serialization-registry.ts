/**
 * Quirk: tfjs-layers registers classes it does not export (BatchNormalization) and deserialises initialisers
 * by class name only internally; we look both up in tfjs-core's serialization registry,
 * `SerializationMap.getMap().classNameMap`, which is not documented API. Written for @tensorflow/tfjs-core
 * 4.22.0. Remove when tfjs exports the classes and a by-name initialiser deserialiser (then use them and drop
 * this file).
 */
import { tf } from '../../tf.js';

/** The tfjs-core version this quirk was written for. */
export const SERIALIZATION_REGISTRY_PIN = { name: '@tensorflow/tfjs-core', version: '4.22.0' } as const;

/** A registered class and its fromConfig, as tfjs-core's registry holds them. */
export type RegisteredClass = [
  tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  tf.serialization.FromConfigMethod<tf.serialization.Serializable>,
];

/** The class registered (by tfjs or by `tf.serialization.registerClass`) under `className`, if any. */
export function registeredClass(className: string): RegisteredClass | undefined {
  return tf.serialization.SerializationMap.getMap().classNameMap[className];
}
