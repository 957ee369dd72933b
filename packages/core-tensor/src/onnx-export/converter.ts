/** The signature of a layer converter, the unit {@link exportOnnx} is extended by. */
import type { tf } from '../tf.js';
import type { ExportContext, Shape, Value } from './context.js';

/**
 * Emits the ONNX nodes computing `layer` (in inference mode) on `inputs` and returns its output value(s);
 * `outShape` is the layer's tfjs output shape for these inputs (an array of shapes for several outputs).
 */
export type LayerConverter = (ctx: ExportContext, layer: tf.layers.Layer, inputs: Value[], outShape: Shape) => Value | Value[];
