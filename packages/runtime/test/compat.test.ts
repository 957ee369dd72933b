/**
 * Each quirk in src/compat/ touches a pinned dependency's private internals: these fail when the installed
 * version moves off the pin it was written for, so the quirk is re-checked (or removed) then.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ORT_NODE_PIN, requireOrtNative } from '../src/compat/ort-native-session.js';
import { OnnxGraph } from '../src/onnx/graph.js';

const require = createRequire(import.meta.url);

describe('compat quirks match the installed versions they were written for', () => {
  it('ort-native-session.ts: onnxruntime-node dist/binding', () => {
    expect((require(`${ORT_NODE_PIN.name}/package.json`) as { version: string }).version).toBe(ORT_NODE_PIN.version);
    const { Session } = requireOrtNative();
    expect(typeof Session.prototype.run).toBe('function');
  });

  it('ort-native-session.ts releaseOutputCopy: the binding still returns a copy of a pre-allocated output', () => {
    // When this fails the binding hands back the caller's array: releaseOutputCopy (and raiseMallocTrimThreshold,
    // there for the copies) can go.
    const { Session, Tensor } = requireOrtNative();
    const g = new OnnxGraph();
    g.output(g.node('Relu', [g.input('x', [3])]), 'y', [3]);
    const bytes = g.encode();
    const s = new Session();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {});
    const y = new Float32Array(3);
    const result = s.run({ x: new Tensor('float32', Float32Array.of(-1, 0, 2), [3]) }, { y: new Tensor('float32', y, [3]) }, {});
    s.dispose();
    expect(Array.from(y)).toEqual([0, 0, 2]); // written in place
    expect(Array.from(result.y!.data)).toEqual([0, 0, 2]);
    result.y!.data[2] = 5;
    expect(y[2]).toBe(2); // and returned as a separate copy, not a view of y
  });
});
