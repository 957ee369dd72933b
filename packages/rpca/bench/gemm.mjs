// Products at the shapes of the SVD step: the exported `matmul` on its JS kernel (FACELAB_RPCA_GEMM=js) and on
// onnxruntime's dgemm (the default when onnxruntime-node is installed), both including the copies in and out of
// ml-matrix; the bare ORT call on Float64Arrays (what the solvers see); ml-matrix's mmul.
// Usage: node bench/gemm.mjs   (after a build of this package and core-tensor)
import { loadavg } from 'node:os';
import { nativeGemmF64, nativeGemmF64Available } from '@facelab/runtime';
import { Matrix } from 'ml-matrix';
import { matmul } from '../src/index.js';

/** Median of 5 timed runs after one warm-up, in seconds. */
function time(f) {
  f();
  const ts = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[2] / 1000;
}

function withEngine(engine, f) {
  process.env.FACELAB_RPCA_GEMM = engine;
  try {
    return f();
  } finally {
    delete process.env.FACELAB_RPCA_GEMM;
  }
}

const ort = nativeGemmF64Available();
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; onnxruntime-node ${ort ? 'loaded' : 'not available'}`);
const rows = [];
for (const [n, k] of [[500, 35], [1000, 60], [2000, 110]]) {
  const A = Matrix.rand(n, n);
  const B = Matrix.rand(n, k);
  const a = Float64Array.from(A.to1DArray());
  const b = Float64Array.from(B.to1DArray());
  const gflop = (2 * n * n * k) / 1e9;
  const row = { shape: `${n}×${n} · ${n}×${k}` };
  const add = (name, s) => {
    row[`${name} ms`] = (s * 1e3).toFixed(1);
    row[`${name} GFLOP/s`] = (gflop / s).toFixed(2);
  };
  add('matmul js', withEngine('js', () => time(() => matmul(A, B))));
  if (ort) {
    add('matmul ort', withEngine('auto', () => time(() => matmul(A, B))));
    add('bare ort', time(() => nativeGemmF64(a, b, n, n, k)));
  }
  add('ml-matrix', time(() => A.mmul(B)));
  rows.push(row);
}
console.table(rows);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
