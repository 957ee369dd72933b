/**
 * RoCGAN's inference pathway (regression encoder + shared decoder, Sec. 3.1) as one model, for ONNX export.
 */
import { exportOnnx, tf, type ExportOnnxOptions, type OnnxExport } from '@facelab/core-tensor';
import type { RocGan } from './rocgan.js';

/** Options of {@link rocganGenerator} and {@link exportRocGanOnnx}. */
export interface RocGanGeneratorOptions {
  /** Use the EMA copy of enc + dec (default true, as predictRocGan). */
  ema?: boolean;
}

/**
 * enc → dec as one tf.LayersModel [N, S, S, C] → [N, S, S, C] in [−1, 1] (skips passed through, no skip noise:
 * inference). It shares the networks' layers: do not dispose it (dispose the RocGan).
 */
export function rocganGenerator(net: RocGan, options: RocGanGeneratorOptions = {}): tf.LayersModel {
  const [enc, dec] = options.ema === false ? [net.enc, net.dec] : [net.ema.enc, net.ema.dec];
  const x = tf.input({ shape: enc.inputs[0]!.shape.slice(1), name: 'corrupted' });
  const out = enc.apply(x) as tf.SymbolicTensor | tf.SymbolicTensor[];
  const image = dec.apply(out) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: image, name: 'rocgan_generator' });
}

/** Exports the inference pathway ({@link rocganGenerator}) as an ONNX model (see core-tensor's exportOnnx). */
export function exportRocGanOnnx(net: RocGan, options: ExportOnnxOptions & RocGanGeneratorOptions = {}): OnnxExport {
  const { ema, ...exportOptions } = options;
  return exportOnnx(rocganGenerator(net, { ema }), exportOptions);
}
