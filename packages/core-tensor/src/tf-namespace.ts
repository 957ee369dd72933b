/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
/**
 * The parts of TensorFlow.js facelab uses, as one namespace: tfjs-core (tensors, ops, engine, io,
 * optimizers), tfjs-layers (layers, models, initializers; importing it also registers tfjs-core's
 * gradients) and tfjs-backend-cpu (importing it registers the 'cpu' backend), with tfjs-core's chained ops
 * (`x.reshape(…)`) registered by compat/chained-ops.ts. Not the `@tensorflow/tfjs` umbrella, which adds the
 * converter, tfjs-data and webgl.
 */
import './backend/compat/chained-ops.js';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';
