/**
 * onnxruntime-node as a kernel engine: its synchronous native session (the public `InferenceSession.run` is
 * a Promise, and tfjs kernels must return synchronously), sessions cached by graph key, and tensors passed
 * as views (inputs are read in place; outputs are written into arrays the caller provides, or ORT allocates).
 *
 * onnxruntime-node is an optional dependency, reached through compat/ort-native-session.ts.
 */
import { availableParallelism } from 'node:os';
import { raiseMallocTrimThreshold, releaseOutputCopy, requireOrtNative, type NativeSession, type OrtNative, type OrtTensor } from '../compat/ort-native-session.js';
import { env } from '../env.js';
import type { OnnxGraph } from './graph.js';

let ort: OrtNative | undefined;
let loadError: Error | undefined;

/** Loads onnxruntime-node once; throws (with the reason) when it is missing or not the pinned version. */
export function loadOnnxRuntime(): void {
  if (ort !== undefined) return;
  if (loadError !== undefined) throw loadError;
  try {
    ort = requireOrtNative();
    raiseMallocTrimThreshold(); // with releaseOutputCopy: the binding's output copies reuse resident memory
  } catch (err) {
    loadError = err instanceof Error ? err : new Error(String(err));
    throw loadError;
  }
}

/** Threads ORT's kernels use: `env.ortThreads` (FACELAB_ORT_THREADS), else every core. */
export function onnxThreads(): number {
  return env.ortThreads ?? availableParallelism();
}

/** An array and its shape, as fed to or returned by a cached graph. */
export interface OnnxValue {
  data: Float32Array | Float64Array;
  shape: readonly number[];
}

const MAX_SESSIONS = 512;
const sessions = new Map<string, NativeSession>();
let runs = 0;

/** Graph runs so far and sessions cached: how much work went to onnxruntime. */
export function onnxRuntimeStats(): { runs: number; sessions: number } {
  return { runs, sessions: sessions.size };
}

function loadSession(bytes: Uint8Array, threads: number, spinningStop = true): NativeSession {
  const s = new ort!.Session();
  s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Workers spin between the parallel sections of a run (without it the convolutions ran 2–3× slower)
    // but stop when the run ends: every cached session has its own pool, and pools left spinning after
    // their run starved the next session's (and the wasm kernels in between) on a 2-core machine.
    ...(spinningStop ? { extra: { session: { force_spinning_stop: '1' } } } : {}),
  });
  return s;
}

function createSession(graph: OnnxGraph, threads: number): NativeSession {
  return loadSession(graph.encode(), threads);
}

/** Options of {@link openOnnxSession}. */
export interface OnnxSessionOptions {
  /** Intra-op threads (default {@link onnxThreads}). */
  threads?: number;
  /**
   * Stop ORT's worker threads spinning when a run ends (default true: the right choice when other work runs
   * between calls on few cores; false lets back-to-back runs start a little sooner).
   */
  spinningStop?: boolean;
}

/** A whole ONNX model loaded in onnxruntime-node, run synchronously on float32/float64 arrays. */
export interface OnnxModelSession {
  /** Runs the model on `feeds` (by input name) and returns `outputs` in order, in arrays ORT allocates. */
  run(feeds: Record<string, OnnxValue>, outputs: readonly string[]): OnnxValue[];
  /** Releases the native session; later runs throw. */
  dispose(): void;
}

/**
 * Loads ONNX model bytes into an onnxruntime-node session of its own (not the kernels' cache), with every
 * graph optimisation on. Throws when onnxruntime-node is missing, or with ORT's message when it rejects the model.
 */
export function openOnnxSession(bytes: Uint8Array, options: OnnxSessionOptions = {}): OnnxModelSession {
  loadOnnxRuntime();
  let session: NativeSession | undefined = loadSession(bytes, options.threads ?? onnxThreads(), options.spinningStop ?? true);
  const tensor = (v: OnnxValue) => new ort!.Tensor(v.data instanceof Float64Array ? 'float64' : 'float32', v.data, v.shape);
  return {
    run(feeds, outputs) {
      if (session === undefined) throw new Error('ONNX session: run after dispose()');
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, v] of Object.entries(feeds)) ortFeeds[name] = tensor(v);
      runs++;
      const result = session.run(ortFeeds, Object.fromEntries(outputs.map((o) => [o, null])), {});
      return outputs.map((o) => ({ data: result[o]!.data, shape: result[o]!.dims }));
    },
    dispose() {
      session?.dispose();
      session = undefined;
    },
  };
}

/**
 * Runs the graph cached under `key` (built by `build` on first use) on `feeds` and returns `outputs` in
 * order: written into `into`'s arrays when given (ORT-allocated outputs, new ArrayBuffers per call, kept V8's
 * garbage collector busy enough to halve ORT's thread use; the output-sized copy onnxruntime-node 1.30 still
 * returns of each given output is freed before this returns, see releaseOutputCopy), else in arrays ORT
 * allocates. Least recently used sessions are released beyond MAX_SESSIONS distinct graphs. `threads`
 * overrides {@link onnxThreads} for this graph (a separate cached session).
 */
export function runGraph(
  key: string,
  build: () => OnnxGraph,
  feeds: Record<string, OnnxValue>,
  outputs: readonly string[],
  into?: Record<string, OnnxValue>,
  threads?: number,
): OnnxValue[] {
  loadOnnxRuntime();
  if (threads !== undefined) key = `${key}|threads ${threads}`;
  let session = sessions.get(key);
  if (session === undefined) {
    session = createSession(build(), threads ?? onnxThreads());
    if (sessions.size >= MAX_SESSIONS) {
      const [oldest, s] = sessions.entries().next().value as [string, NativeSession];
      s.dispose();
      sessions.delete(oldest);
    }
  } else {
    sessions.delete(key); // re-inserted below: Map order is recency order
  }
  sessions.set(key, session);
  const tensor = (v: OnnxValue) => new ort!.Tensor(v.data instanceof Float64Array ? 'float64' : 'float32', v.data, v.shape);
  const ortFeeds: Record<string, OrtTensor> = {};
  for (const [name, v] of Object.entries(feeds)) ortFeeds[name] = tensor(v);
  const fetches = Object.fromEntries(outputs.map((o) => [o, into?.[o] ? tensor(into[o]) : null]));
  runs++;
  const result = session.run(ortFeeds, fetches, {});
  return outputs.map((o) => {
    const given = into?.[o];
    if (given === undefined) return { data: result[o]!.data, shape: result[o]!.dims };
    releaseOutputCopy(given.data, result[o]); // the binding's copy of what it wrote into `given`: freed now
    return given;
  });
}
