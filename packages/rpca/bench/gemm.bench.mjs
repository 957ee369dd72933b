/**
 * rpca suite `gemm`: products at the shapes of the SVD step: the exported `matmul` on its JS kernel
 * (FACELAB_RPCA_GEMM=js) and on onnxruntime's dgemm (`auto`, the default when onnxruntime-node is installed),
 * both including the copies in and out of ml-matrix, each engine in its own child run; the bare ORT call on
 * Float64Arrays (what the solvers see); ml-matrix's mmul. Median of 5 timed runs after one warm-up. Option
 * `shapes`: `<n>x<k>` for an n×n · n×k product.
 */
import { loadavg } from 'node:os';

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

export default {
  name: 'gemm',
  title: 'Float64 products of the SVD step',
  options: { shapes: ['500x35', '1000x60', '2000x110'] },
  quick: { shapes: ['200x20'] },
  async run({ options, child, runChild }) {
    const { Matrix } = await import('ml-matrix');
    const operands = options.shapes.map((shape) => {
      const [n, k] = shape.split('x').map(Number);
      return { n, k, A: Matrix.rand(n, n), B: Matrix.rand(n, k) };
    });
    if (child) {
      const { matmul } = await import('@facelab/rpca');
      return { seconds: operands.map(({ A, B }) => time(() => matmul(A, B))) };
    }
    const { nativeGemmF64, nativeGemmF64Available } = await import('@facelab/runtime');
    const ort = nativeGemmF64Available();
    const js = runChild({ FACELAB_RPCA_GEMM: 'js' }).seconds;
    const auto = ort ? runChild({ FACELAB_RPCA_GEMM: 'auto' }).seconds : undefined;
    const rows = operands.map(({ n, k, A, B }, i) => {
      const a = Float64Array.from(A.to1DArray());
      const b = Float64Array.from(B.to1DArray());
      return {
        shape: `${n}×${n} · ${n}×${k}`,
        gflop: (2 * n * n * k) / 1e9,
        seconds: {
          'matmul js': js[i],
          ...(ort ? { 'matmul ort': auto[i], 'bare ort': time(() => nativeGemmF64(a, b, n, n, k)) } : {}),
          'ml-matrix': time(() => A.mmul(B)),
        },
      };
    });
    return { date: new Date().toISOString(), loadavg1: loadavg()[0], onnxruntime: ort, rows };
  },
  report(results) {
    const engines = Object.keys(results.rows[0].seconds);
    return [
      `${results.date.slice(0, 10)}, load average ${results.loadavg1.toFixed(1)}; onnxruntime-node ${results.onnxruntime ? 'loaded' : 'not available'}. ms (GFLOP/s).`,
      '',
      `| shape | ${engines.join(' | ')} |`,
      `|---|${engines.map(() => '---:').join('|')}|`,
      ...results.rows.map((r) => `| ${r.shape} | ${engines.map((e) => `${(r.seconds[e] * 1e3).toFixed(1)} (${(r.gflop / r.seconds[e]).toFixed(2)})`).join(' | ')} |`),
    ].join('\n');
  },
};
