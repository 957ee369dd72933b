#!/usr/bin/env node
/**
 * Study for issue #23: does any form of pre-allocated output make onnxruntime-node's native run() skip the
 * output copy? Runs a 4 MiB Relu graph on the native session (onnxruntime-node/dist/binding, as
 * @facelab/runtime does) with the output passed in `fetches` as an onnxruntime-common Tensor, as a plain
 * { type, data, dims, location } object, and with the session option preferredOutputLocation 'cpu' (the
 * binding's IO-binding path), and prints for each: whether the caller's array was written, whether the
 * returned tensor's data is a view of it (a write through it shows in the caller's array), and how much
 * Node's ArrayBuffer memory grew over the call (an output-sized copy: 4 MiB).
 *
 * Usage (from the repository root, after `npx nx run runtime:build`): node benchmarks/studies/ort-fetch-forms.mjs
 */
import { createRequire } from 'node:module';
import { OnnxGraph } from '@facelab/runtime';

const require = createRequire(import.meta.url);
const { binding, initOrt } = require('onnxruntime-node/dist/binding');
const { Tensor } = require('onnxruntime-node');
initOrt();
console.log(`onnxruntime-node ${require('onnxruntime-node/package.json').version}`);

const n = 1 << 20;
const g = new OnnxGraph();
g.output(g.node('Relu', [g.input('x', [n])]), 'y', [n]);
const bytes = g.encode();
const x = new Float32Array(n).fill(2);
const forms = [
  ['fetch: onnxruntime-common Tensor', {}, (y) => new Tensor('float32', y, [n])],
  ['fetch: plain { type, data, dims, location }', {}, (y) => ({ type: 'float32', data: y, dims: [n], location: 'cpu' })],
  ["fetch: Tensor, session preferredOutputLocation 'cpu' (IO binding)", { preferredOutputLocation: 'cpu' }, (y) => new Tensor('float32', y, [n])],
];
for (const [label, options, fetchOf] of forms) {
  const session = new binding.InferenceSession();
  try {
    session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
    const y = new Float32Array(n);
    const before = process.memoryUsage().arrayBuffers;
    const result = session.run({ x: new Tensor('float32', x, [n]) }, { y: fetchOf(y) }, {});
    const grown = process.memoryUsage().arrayBuffers - before;
    result.y.data[0] = 99;
    console.log(`${label}: caller's array written ${y[1] === 2}, returned data is a view of it ${y[0] === 99}, ArrayBuffer memory +${grown} bytes (output ${n * 4})`);
  } catch (err) {
    console.log(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
