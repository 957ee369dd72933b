// Products: the package's blocked Float64 kernel (matmul) against ml-matrix's mmul, the shapes of the SVD step.
// Usage: node bench/gemm.mjs   (after a build)
import { Matrix } from 'ml-matrix';
import { matmul } from '../dist/index.js';

const rows = [];
for (const [n, k] of [[500, 35], [1000, 60], [2000, 110]]) {
  const A = Matrix.rand(n, n);
  const B = Matrix.rand(n, k);
  const time = (f) => {
    f();
    const t = performance.now();
    f();
    return (performance.now() - t) / 1000;
  };
  const ours = time(() => matmul(A, B));
  const theirs = time(() => A.mmul(B));
  const gflop = (2 * n * n * k) / 1e9;
  rows.push({ shape: `${n}×${n} · ${n}×${k}`, 'matmul ms': (ours * 1e3).toFixed(0), 'matmul GFLOP/s': (gflop / ours).toFixed(2), 'ml-matrix mmul ms': (theirs * 1e3).toFixed(0), 'ml-matrix GFLOP/s': (gflop / theirs).toFixed(2) });
}
console.table(rows);
