/**
 * Inference on onnxruntime-node: a tfjs model exported with {@link exportOnnx} and run whole in one native
 * session, with no tfjs kernel in between. The tfjs model stays the reference; round-trip tests compare the two.
 */
import { openOnnxSession, type OnnxModelSession, type OnnxValue } from '@facelab/runtime';
import { tf } from '../tf.js';
import { exportOnnx, type ExportOnnxOptions, type OnnxSignature } from './export.js';

/** Options of {@link createInferenceSession}. */
export interface InferenceSessionOptions extends Omit<ExportOnnxOptions, 'dynamicBatch'> {
  /** onnxruntime intra-op threads (default: FACELAB_ORT_THREADS, else every core). */
  threads?: number;
  /** Stop ORT's worker threads spinning after each run (default true; see @facelab/runtime's openOnnxSession). */
  spinningStop?: boolean;
}

/** Options of {@link InferenceSession.predict}. */
export interface PredictBatchOptions {
  /** Rows per ORT run (default 32). */
  batchSize?: number;
}

/** A tfjs model running in onnxruntime-node. */
export interface InferenceSession {
  /** The exported graph's inputs and outputs. */
  readonly inputs: readonly OnnxSignature[];
  readonly outputs: readonly OnnxSignature[];
  /** The exported model file's bytes. */
  readonly onnx: Uint8Array;
  /** Runs the model on raw arrays (by input name, shapes as tfjs's) and returns its outputs in order. */
  runArrays(feeds: Record<string, OnnxValue>): OnnxValue[];
  /**
   * Runs the model on `x` (one tensor per input) in batches of `batchSize` rows and returns new tensors, as
   * `model.predict` does (one tensor, or an array for several outputs). The inputs are not disposed.
   */
  predict(x: tf.Tensor | tf.Tensor[], options?: PredictBatchOptions): tf.Tensor | tf.Tensor[];
  /** Releases the native session. */
  dispose(): void;
}

function checkInput(t: tf.Tensor, sig: OnnxSignature): void {
  const ok = t.rank === sig.shape.length && sig.shape.every((d, i) => typeof d === 'string' || d === t.shape[i]);
  if (!ok) throw new Error(`InferenceSession: input '${sig.name}' must have shape [${sig.shape}], got [${t.shape}]`);
  if (t.dtype !== 'float32') throw new Error(`InferenceSession: input '${sig.name}' must be float32, got ${t.dtype}`);
}

/**
 * Exports `model` to ONNX (batch axis open) and opens it in onnxruntime-node. Throws when onnxruntime-node is
 * not installed or a layer has no converter. Call `dispose()` when done.
 */
export function createInferenceSession(model: tf.LayersModel, options: InferenceSessionOptions = {}): InferenceSession {
  const { threads, spinningStop, ...exportOptions } = options;
  const exported = exportOnnx(model, { ...exportOptions, dynamicBatch: true });
  const session: OnnxModelSession = openOnnxSession(exported.bytes, { threads, spinningStop });
  const outputNames = exported.outputs.map((o) => o.name);
  const runArrays = (feeds: Record<string, OnnxValue>) => session.run(feeds, outputNames);
  return {
    inputs: exported.inputs,
    outputs: exported.outputs,
    onnx: exported.bytes,
    runArrays,
    predict(x, predictOptions = {}) {
      const xs = Array.isArray(x) ? x : [x];
      if (xs.length !== exported.inputs.length) throw new Error(`InferenceSession: model takes ${exported.inputs.length} inputs, got ${xs.length}`);
      xs.forEach((t, i) => checkInput(t, exported.inputs[i]!));
      const rows = xs[0]!.shape[0]!;
      if (xs.some((t) => t.shape[0] !== rows)) throw new Error('InferenceSession: inputs differ in batch size');
      if (rows === 0) throw new Error('InferenceSession: the input batch is empty');
      const batchSize = predictOptions.batchSize ?? 32;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`InferenceSession: batchSize must be a positive integer, got ${batchSize}`);
      const data = xs.map((t) => t.dataSync() as Float32Array);
      const parts: Float32Array[][] = exported.outputs.map(() => []);
      let shapes: (readonly number[])[] = [];
      for (let start = 0; start < rows; start += batchSize) {
        const n = Math.min(batchSize, rows - start);
        const feeds: Record<string, OnnxValue> = {};
        xs.forEach((t, i) => {
          const row = t.size / rows;
          feeds[exported.inputs[i]!.name] = { data: data[i]!.subarray(start * row, (start + n) * row), shape: [n, ...t.shape.slice(1)] };
        });
        const outs = runArrays(feeds);
        outs.forEach((o, i) => parts[i]!.push(Float32Array.from(o.data)));
        shapes = outs.map((o) => o.shape);
      }
      const tensors = parts.map((p, i) => {
        const total = p.reduce((a, b) => a + b.length, 0);
        const all = new Float32Array(total);
        let pos = 0;
        for (const b of p) {
          all.set(b, pos);
          pos += b.length;
        }
        return tf.tensor(all, [rows, ...(shapes[i] ?? []).slice(1)], 'float32');
      });
      return tensors.length === 1 ? tensors[0]! : tensors;
    },
    dispose: () => session.dispose(),
  };
}

/** What runs a model at inference: tfjs (the reference) or its ONNX export in onnxruntime-node. */
export type InferenceRuntime = 'tfjs' | 'onnx';

/** Checks an {@link InferenceRuntime} value; `label` (a function or option name) prefixes the error. */
export function checkInferenceRuntime(runtime: string, label: string): InferenceRuntime {
  if (runtime !== 'tfjs' && runtime !== 'onnx') throw new Error(`${label}: runtime must be 'tfjs' or 'onnx', got '${runtime}'`);
  return runtime;
}

/** Options of {@link runtimePredictor}. */
export interface RuntimePredictorOptions {
  /** Default 'tfjs'. */
  runtime?: InferenceRuntime;
  /** With runtime 'onnx': a session of this model to reuse (else one is created, and released by dispose()). */
  session?: InferenceSession;
  /** Prefixes errors (default 'predict'). */
  label?: string;
}

/** A model's predict function on the chosen runtime. */
export interface RuntimePredictor {
  /** As `model.predict(x)`: new tensors, inputs untouched. */
  predict(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[];
  /** Releases the session this predictor created (not one passed in). */
  dispose(): void;
}

/**
 * `model.predict` on tfjs, or through an ONNX session of the model (created here unless one is passed): the one
 * switch between runtimes that callers such as arcface's embed and affwildnet's predictClips share.
 */
export function runtimePredictor(model: tf.LayersModel, options: RuntimePredictorOptions = {}): RuntimePredictor {
  const runtime = checkInferenceRuntime(options.runtime ?? 'tfjs', options.label ?? 'predict');
  if (runtime === 'tfjs') return { predict: (x) => model.predict(x) as tf.Tensor | tf.Tensor[], dispose: () => undefined };
  const own = options.session === undefined ? createInferenceSession(model) : undefined;
  const session = options.session ?? own!;
  const rows = (x: tf.Tensor | tf.Tensor[]) => Math.max(1, (Array.isArray(x) ? x[0]! : x).shape[0] ?? 1);
  return { predict: (x) => session.predict(x, { batchSize: rows(x) }), dispose: () => own?.dispose() };
}
