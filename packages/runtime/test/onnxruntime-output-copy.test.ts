/**
 * runGraph with caller-given outputs against the real onnxruntime-node: the result is written into the caller's
 * array and returned as that array, and the output-sized copy the 1.30 binding's run() makes of it besides does
 * not outlive the call (issue #23: copies left to the garbage collector landed in fresh memory, 35–50 ms per
 * 12.8 MB output on the VM). Also: after onnxruntime-node loads, a freed block of a copy's size stays resident.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxGraph, runGraph } from '../src/index.js';
import { raiseMallocTrimThreshold } from '../src/compat/ort-native-session.js';

type Fetches = Record<string, { data: ArrayBufferView } | null>;
type Result = Record<string, { data: ArrayBufferView }>;
interface NativeRun {
  run(feeds: object, fetches: Fetches, options: object): Result;
}
interface Binding {
  InferenceSession: new () => NativeRun;
}

const require = createRequire(import.meta.url);
const binding = (require('onnxruntime-node/dist/binding') as { binding: Binding }).binding;
const Native = binding.InferenceSession;

/** What every native run() returned, recorded by a subclass installed before this file's first runGraph. */
const returned: { fetches: Fetches; result: Result }[] = [];

beforeAll(() => {
  binding.InferenceSession = class extends Native {
    override run(feeds: object, fetches: Fetches, options: object): Result {
      const result = super.run(feeds, fetches, options);
      returned.push({ fetches, result });
      return result;
    }
  };
});
afterAll(() => {
  binding.InferenceSession = Native;
});

/** y = Relu(x) on `n` floats. */
function reluGraph(n: number): () => OnnxGraph {
  return () => {
    const g = new OnnxGraph();
    g.output(g.node('Relu', [g.input('x', [n])]), 'y', [n]);
    return g;
  };
}

/** x[i] = (i mod 7) − 3, so Relu keeps 0…3 and zeroes the rest. */
function input(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
}

describe('runGraph with a caller-given output (onnxruntime-node)', () => {
  const n = 4 << 20; // 16 MiB of float32

  it('writes the result into the caller array and returns that array', () => {
    const x = input(n);
    const into = { y: { data: new Float32Array(n).fill(Number.NaN), shape: [n] } };
    const [y] = runGraph('output-copy-test|relu', reluGraph(n), { x: { data: x, shape: [n] } }, ['y'], into);
    expect(y).toBe(into.y);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (into.y.data[i] !== Math.max(0, x[i]!)) wrong++;
    expect(wrong).toBe(0);
  });

  it("frees the binding's output-sized copy before returning (no copy outlives the call)", () => {
    const x = input(n);
    const into = { y: { data: new Float32Array(n), shape: [n] } };
    const before = returned.length;
    const buffersBefore = process.memoryUsage().arrayBuffers;
    runGraph('output-copy-test|relu', reluGraph(n), { x: { data: x, shape: [n] } }, ['y'], into);
    const grown = process.memoryUsage().arrayBuffers - buffersBefore;
    expect(returned.length).toBe(before + 1);
    const { fetches, result } = returned.at(-1)!;
    expect(fetches.y!.data).toBe(into.y.data); // the caller's array went to ORT as the pre-allocated output
    const out = result.y!.data as Float32Array;
    if (out.buffer.byteLength !== 0) {
      // Not freed: then it must be the caller's memory itself (a binding that no longer copies), not a copy.
      const keep = into.y.data[0]!;
      out[0] = keep + 1;
      expect(into.y.data[0], 'the copy of the output is still alive').toBe(keep + 1);
      into.y.data[0] = keep;
    }
    // Node's ArrayBuffer memory did not grow by an output's size (16 MiB) over the call.
    expect(grown).toBeLessThan((n * 4) / 2);
  });

  it('does not free outputs ORT allocated for the caller (no `into`)', () => {
    const x = input(1000);
    const [y] = runGraph('output-copy-test|relu-1000', reluGraph(1000), { x: { data: x, shape: [1000] } }, ['y']);
    expect(y!.data.length).toBe(1000);
    expect(Array.from(y!.data.subarray(0, 7))).toEqual([0, 0, 0, 0, 1, 2, 3]);
  });
});

describe('raiseMallocTrimThreshold', () => {
  it.runIf(process.platform === 'linux')('keeps a freed 24 MiB block resident: allocating it again faults no fresh pages', () => {
    raiseMallocTrimThreshold(); // already done when onnxruntime-node loaded above; idempotent
    const size = 24 << 20; // above any threshold a 12.8 MB copy sets by itself (12.8 MB), below the raised one (32 MiB)
    const { port1 } = new MessageChannel();
    port1.close();
    const cycle = (): number => {
      const f0 = process.resourceUsage().minorPageFault;
      const b = new ArrayBuffer(size);
      new Uint8Array(b).fill(1);
      port1.postMessage(undefined, [b]); // freed now
      return process.resourceUsage().minorPageFault - f0;
    };
    cycle(); // the heap grows to hold it once (fresh pages)
    // 6,144 pages if the block went back to the kernel (mmapped, or trimmed) and was faulted in again. (Without
    // the raise, the first cycle's block is mmapped and its munmap raises the thresholds only then: the second
    // cycle faults, a third would not — so the second is the one checked.)
    expect(cycle()).toBeLessThan(1000);
  });
});
